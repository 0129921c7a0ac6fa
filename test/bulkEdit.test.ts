import { describe, expect, it } from 'vitest';
import { nodeEffects } from '../src/effects/nodeEffects.js';
import { blobId } from '../src/git/objects.js';
import { objectFormat } from '../src/git/objectFormat.js';
import { indexedSchema } from '../src/index/indexDb.js';
import { createContext } from '../src/ops/context.js';
import { commitWrite } from '../src/ops/mutate.js';
import { TicketEditor } from '../src/ops/ticketEditor.js';
import type { ChangeSet } from '../src/store/storeWriter.js';
import { git, tack, tackJson, tackRaw, tempRepo, trackCleanups } from './helpers.js';

/*
 * A bulk edit (close, reopen, label, delete of many tickets) holds a batch of tickets at a
 * time: each batch is checked and its blobs packed before the next is read (TicketEditor.each),
 * where a close of 34,000 tickets held every one (1.1 GiB). Its commit is the one holding them
 * all made: same files, same trailers.
 */

const track = trackCleanups();
const NOW = '2026-12-07T12:00:00Z';

function bulkStore(n: number): { dir: string; ids: string[] } {
  const repo = tempRepo();
  track(repo.cleanup);
  tack(repo.dir, 'init', '--layout', 'fanout');
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify({ op: 'create', title: `Bulk ${i}`, label: ['a'] }));
  expect(tackRaw(repo.dir, ['batch', '--json'], {}, lines.join('\n')).status).toBe(0);
  const ids = (tackJson(repo.dir, 'list', '--limit', '0') as Array<{ id: string }>).map((t) => t.id);
  git(repo.dir, 'gc', '-q');
  return { dir: repo.dir, ids };
}

/** Close every ticket, label 20 of them again (read back after sealing), delete two: as one edit. */
function edit(ed: TicketEditor, ids: string[]): { held: number } {
  let held = 0;
  const seen = () => {
    held = Math.max(held, ed.heldIds().length);
  };
  ed.each(ids, (id) => {
    ed.set(id, 'status', 'done');
    seen();
  });
  ed.each(ids.slice(5, 25), (id) => {
    ed.set(id, 'labels', ['a', 'again']);
    seen();
  });
  ed.each(ids.slice(-2), (id) => ed.remove(id));
  return { held };
}

describe('a bulk edit', () => {
  it('holds one batch of tickets at a time, and plans the files and trailers holding them all planned', async () => {
    const { dir, ids } = bulkStore(60);
    const ctx = createContext({ effects: nodeEffects(), cwd: dir });
    try {
      const idx = await ctx.index();
      const store = ctx.store();
      const schema = indexedSchema(idx.db)!;
      const head = git(dir, 'rev-parse', store.ref);
      const format = objectFormat(store.repo);
      const plan = (batch: number) => {
        const ed = new TicketEditor(store, schema, head, idx, NOW, { batch });
        const { held } = edit(ed, ids);
        return { held, changeSet: ed.finish('bulk', 'close') };
      };
      const files = (cs: ChangeSet) =>
        new Map(cs.changes.map((c) => [c.path, c.blob ?? (c.content === null ? null : blobId(c.content, format))]));
      const whole = plan(1000);
      const batched = plan(10);
      expect(whole.held).toBe(60);
      expect(batched.held).toBeLessThanOrEqual(10);
      // The sealed tickets' blobs were packed as they were planned, and git has them.
      expect(batched.changeSet.changes.filter((c) => c.blob !== undefined).length).toBeGreaterThan(40);
      for (const c of batched.changeSet.changes)
        if (c.blob !== undefined) expect(git(dir, 'cat-file', '-t', c.blob)).toBe('blob');
      expect(files(batched.changeSet)).toEqual(files(whole.changeSet));
      expect(files(whole.changeSet).size).toBe(60);
      expect(batched.changeSet.trailers).toEqual(whole.changeSet.trailers);
    } finally {
      ctx.close();
    }
  });

  it('commits in batches a tree git finds valid, indexed as a rebuild reads it', async () => {
    const { dir, ids } = bulkStore(40);
    const ctx = createContext({ effects: nodeEffects(), cwd: dir });
    try {
      const res = await commitWrite(ctx, (head, idx) => {
        const ed = new TicketEditor(ctx.store(), indexedSchema(idx.db)!, head, idx, NOW, { batch: 7 });
        edit(ed, ids);
        return { changeSet: ed.finish('bulk edit', 'close'), value: null };
      });
      expect(res.commit).toMatch(/^[0-9a-f]{40}$/);
    } finally {
      ctx.close();
    }
    git(dir, 'fsck', '--strict', '--no-progress');
    const listed = tack(dir, 'list', '--limit', '0', '--all', '--json');
    const rows = JSON.parse(listed) as Array<{ id: string; status: string; labels: string[] }>;
    expect(rows).toHaveLength(38);
    expect(rows.every((t) => t.status === 'done')).toBe(true);
    expect(rows.filter((t) => t.labels.includes('again'))).toHaveLength(20);
    const history = tackJson(dir, 'log', ids[0]) as unknown;
    tack(dir, 'reindex');
    expect(tack(dir, 'list', '--limit', '0', '--all', '--json')).toBe(listed);
    expect(tackJson(dir, 'log', ids[0])).toEqual(history);
  });

  it('leaves no pack and no ref behind when a batch is refused', async () => {
    const { dir, ids } = bulkStore(30);
    const before = git(dir, 'rev-parse', 'tack');
    const objects = git(dir, 'count-objects', '-v');
    const ctx = createContext({ effects: nodeEffects(), cwd: dir });
    try {
      await expect(
        commitWrite(ctx, (head, idx) => {
          const ed = new TicketEditor(ctx.store(), indexedSchema(idx.db)!, head, idx, NOW, { batch: 5 });
          try {
            ed.each([...ids.slice(0, 20), 'tk-nosuch'], (id) => ed.set(id, 'status', 'done'));
          } catch (e) {
            ed.discard();
            throw e;
          }
          return { changeSet: ed.finish('bulk', 'close'), value: null };
        }),
      ).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      ctx.close();
    }
    expect(git(dir, 'rev-parse', 'tack')).toBe(before);
    expect(git(dir, 'count-objects', '-v')).toBe(objects);
  });
});
