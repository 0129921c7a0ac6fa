import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, tackJson, tempStore, trackCleanups } from './helpers.js';
import { openEvents, startServe } from './serverHarness.js';

const cleanup = trackCleanups();

/** Save the way vim does by default: write a new file, then rename it over the old one. */
function renameSave(file: string, text: string): void {
  const tmp = `${file}.tmp-save`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

describe('tack serve: hand edits of checked-out files (inline mode)', () => {
  it('reports a rename-save at once, commits it after the idle delay, and leaves an invalid file alone', async () => {
    const repo = tempStore({ inline: true, prefix: 'tack-serve-inline-' });
    cleanup(repo.cleanup);
    const id = tackJson(repo.dir, 'create', 'Edited in vim').id as string;
    const srv = await startServe(repo.dir, ['--idle', '400ms']);
    cleanup(() => void srv.stop());
    const sse = await openEvents(srv.url);
    cleanup(() => sse.close());
    const file = join(repo.dir, '.tack', 'tickets', `${id}.md`);
    const before = git(repo.dir, 'rev-parse', 'HEAD');

    const edited = readFileSync(file, 'utf8').replace('title: Edited in vim', 'title: Renamed in vim');
    renameSave(file, edited);
    const seen = await sse.waitFor((e) => e.event === 'updated' && e.data.ticket === id && e.data.uncommitted === true);
    expect(seen.data.commit).toBeNull();
    expect(seen.data.fields).toEqual(['title']);
    const res = await fetch(`${srv.url}/api/tickets/${id}`);
    expect(((await res.json()) as any).title).toBe('Renamed in vim');

    const committed = await sse.waitFor(
      (e) => e.event === 'updated' && e.data.ticket === id && e.data.commit !== null,
      5000,
    );
    expect(committed.data.op).toBe('edit');
    expect(committed.data.fields).toContain('title');
    expect(git(repo.dir, 'rev-parse', 'HEAD')).toBe(committed.data.commit);
    expect(git(repo.dir, 'rev-parse', 'HEAD~1')).toBe(before);
    expect(git(repo.dir, 'show', `HEAD:.tack/tickets/${id}.md`)).toBe(edited.trimEnd());
    expect(readFileSync(file, 'utf8')).toBe(edited);
    expect(git(repo.dir, 'status', '--porcelain')).toBe(''); // the user's index follows the commit

    const from = sse.events.length;
    const broken = '---\ntitle: [unclosed\n---\nbody\n';
    renameSave(file, broken);
    const problem = await sse.waitFor((e) => e.event === 'problem' && e.data.ticket === id, 5000, from);
    expect(problem.data.message).toMatch(/tickets\//);
    await sse.waitFor((e) => e.event === 'problem' && /not committed/.test(e.data.message), 5000, from);
    expect(git(repo.dir, 'rev-parse', 'HEAD')).toBe(committed.data.commit);
    expect(readFileSync(file, 'utf8')).toBe(broken);
  });
});
