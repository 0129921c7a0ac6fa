import { describe, expect, it } from 'vitest';
import { git, tack, tackJson, tackRaw, tempRepo, trackCleanups } from './helpers.js';
import { tackEnv, tackEnvJson } from './storeFiles.js';
import { remoteWithStore } from './syncHelpers.js';

/*
 * The CLI writes the rows a write of many tickets answers with as it reads them (a RowList,
 * jsonPieces): the text is the one the whole answer printed, the rows are those of the write's
 * own commit, and an automatic sync after it does not change them.
 */

const track = trackCleanups();
const NOW = '2026-12-07T12:00:00Z';

describe('a write answered a row at a time', () => {
  it('answers a close of 1,200 tickets, lean, with the rows of its commit in JSON.stringify text', () => {
    const repo = tempRepo();
    track(repo.cleanup);
    tack(repo.dir, 'init', '--layout', 'fanout');
    const lines = Array.from({ length: 1_200 }, (_, i) => JSON.stringify({ op: 'create', title: `Row ${i}` }));
    expect(tackRaw(repo.dir, ['batch', '--json'], { TACK_NOW: NOW }, lines.join('\n')).status).toBe(0);
    const ids = (tackJson(repo.dir, 'list', '--limit', '0') as Array<{ id: string }>).map((t) => t.id);
    const r = tackRaw(repo.dir, ['close', ...ids, '--reason', 'done in bulk', '--json'], { TACK_NOW: NOW });
    expect(r.status, r.stderr).toBe(0);
    const answer = JSON.parse(r.stdout) as { tickets: Array<{ id: string }>; commit: string };
    expect(answer.commit).toBe(git(repo.dir, 'rev-parse', 'tack').trim());
    // The rows are those a list of these tickets reads from the index after the commit.
    const listed = tackJson(repo.dir, 'list', '--all', '--limit', '0') as Array<{ id: string }>;
    const mine = new Set(ids);
    expect(answer.tickets).toEqual(listed.filter((t) => mine.has(t.id)));
    expect(answer.tickets).toHaveLength(1_200);
    expect(new Set(answer.tickets.map((t: any) => t.status))).toEqual(new Set(['done']));
    // Byte for byte what JSON.stringify of the whole answer prints.
    expect(r.stdout).toBe(`${JSON.stringify(answer, null, 2)}\n`);
  });

  it('reads the rows of the write before an automatic sync brings another clone’s edit', () => {
    const { first: a, clone } = remoteWithStore(track);
    const b = clone();
    const as = { TACK_USER: 'human', TACK_NOW: NOW };
    const id = tackEnvJson(a, as, 'create', 'Title as a wrote it').id;
    tackEnv(a, as, 'sync');
    tackEnv(b, as, 'sync');
    tackEnv(b, as, 'update', id, '--title', 'Title as b wrote it');
    tackEnv(b, as, 'sync');
    tackEnv(a, as, 'config', 'agents.auto_sync', 'true');
    const closed = tackEnvJson(a, as, 'close', id);
    expect(closed.auto_sync).toMatchObject({ ok: true, pulled: 1 });
    // The answer is the close as a committed it; the sync merged b's title after it.
    expect(closed.tickets).toEqual([expect.objectContaining({ id, title: 'Title as a wrote it', status: 'done' })]);
    expect(tackEnvJson(a, as, 'show', id)).toMatchObject({ title: 'Title as b wrote it', status: 'done' });
  });
});
