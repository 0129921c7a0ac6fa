import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeEffects } from '../src/effects/nodeEffects.js';
import { createContext } from '../src/ops/context.js';
import { runWriteGroup, type GroupedOutcome } from '../src/ops/writeGroup.js';
import { openDatabase } from '../src/index/sqlite.js';
import { git, tack, tackJson, trackCleanups, tempStore } from './helpers.js';
import { dumpIndexFile } from './indexDump.js';

/*
 * The server's write lane commits the ticket edits that queued up together as a group: one
 * commit per write, in order, each its own answer, and one compare-and-swap of the ref for
 * all of them (runWriteGroup). Nothing of the group is visible before the ref moves, and if
 * another writer moved the ref meanwhile, the writes run again one by one.
 */

const track = trackCleanups();
const REF = 'refs/heads/tack';

function store() {
  const repo = tempStore();
  track(repo.cleanup);
  const ids = ['Alpha', 'Beta', 'Gamma'].map((t) => tackJson(repo.dir, 'create', t).id as string);
  const ctx = createContext({ effects: nodeEffects(), cwd: repo.dir });
  track(() => ctx.close());
  return { dir: repo.dir, ids, ctx };
}

function writesOf(ctx: ReturnType<typeof createContext>, ids: string[]) {
  return [
    { ctx, name: 'update', input: { id: ids[0], priority: 'urgent' } },
    { ctx, name: 'comment', input: { id: ids[1], text: 'from the group' } },
    { ctx, name: 'update', input: { id: 'tk-nope', priority: 'low' } },
    { ctx, name: 'create', input: { title: 'Made in a group', parent: ids[2] } },
  ];
}

const subjects = (dir: string, n: number) => git(dir, 'log', '--format=%s', `-${n}`, REF).trim().split('\n').reverse();
const reflog = (dir: string) => git(dir, 'reflog', 'show', '--format=%gs', REF).trim().split('\n');
const indexFile = (dir: string) => join(dir, '.git', 'tack', 'index.db');
/** Loose objects and packs, as `git count-objects -v` says. */
function objectCounts(dir: string): { count: number; packs: number } {
  const v = Object.fromEntries(
    git(dir, 'count-objects', '-v')
      .trim()
      .split('\n')
      .map((l) => l.split(': ')),
  );
  return { count: Number(v.count), packs: Number(v.packs) };
}

/** The index as a full rebuild makes it, for the same head. */
function rebuilt(dir: string) {
  tack(dir, 'reindex');
  return dumpIndexFile(indexFile(dir));
}

function expectOutcomes(outcomes: GroupedOutcome[]) {
  expect(outcomes.map((o) => o.ok)).toEqual([true, true, false, true]);
  const failed = outcomes[2] as { ok: false; error: { code?: string } };
  expect(failed.error.code).toBe('not_found');
}

describe('a group of writes (the server write lane)', () => {
  it('makes one commit per write, in order, and moves the ref once', async () => {
    const { dir, ids, ctx } = store();
    await ctx.index();
    const before = reflog(dir).length;
    const objectsBefore = objectCounts(dir);
    const outcomes = await runWriteGroup(ctx, writesOf(ctx, ids));
    // The group's objects (a blob, trees and a commit a write) went to disk as one pack.
    const objectsAfter = objectCounts(dir);
    expect(objectsAfter.count).toBe(objectsBefore.count);
    expect(objectsAfter.packs).toBe(objectsBefore.packs + 1);
    expectOutcomes(outcomes);
    expect(subjects(dir, 3)).toEqual([
      expect.stringMatching(new RegExp(`^update ${ids[0]}`)),
      expect.stringMatching(new RegExp(`^comment on ${ids[1]}`)),
      expect.stringMatching(/^create tk-\w+: Made in a group$/),
    ]);
    const log = reflog(dir);
    expect(log.length).toBe(before + 1);
    expect(log[0]).toMatch(/^tack: update .*\(and 2 more commits\)$/);
    const made = (outcomes[3] as { value: { id: string } }).value.id;
    expect(tackJson(dir, 'show', made).parent).toBe(ids[2]);
    expect(tackJson(dir, 'show', ids[0]).priority).toBe('urgent');
    const index = dumpIndexFile(indexFile(dir));
    ctx.close();
    expect(index).toEqual(rebuilt(dir));
    git(dir, 'fsck', '--strict', '--no-progress');
  });

  it('shows nothing of the group, to git or the index, before the ref moves', async () => {
    const { dir, ids, ctx } = store();
    const base = git(dir, 'rev-parse', REF).trim();
    let seen: { ref: string; priority: unknown; tickets: number } | null = null;
    await runWriteGroup(ctx, writesOf(ctx, ids), {
      beforePublish: () => {
        const db = openDatabase(indexFile(dir), { readonly: true });
        try {
          const row = db.prepare<{ priority: unknown }>('SELECT priority FROM tickets WHERE id = ?').get(ids[0]);
          const n = db.prepare<{ n: number }>('SELECT count(*) AS n FROM tickets').get()!.n;
          seen = { ref: git(dir, 'rev-parse', REF).trim(), priority: row?.priority, tickets: n };
        } finally {
          db.close();
        }
      },
    });
    expect(seen).toEqual({ ref: base, priority: 'none', tickets: 3 });
    expect(tackJson(dir, 'show', ids[0]).priority).toBe('urgent');
  });

  it('runs the writes again one by one when another writer moved the ref meanwhile', async () => {
    const { dir, ids, ctx } = store();
    await ctx.index();
    const outcomes = await runWriteGroup(ctx, writesOf(ctx, ids), {
      // A writer that ignores the writer lock (plain git) commits while the group runs.
      beforePublish: () => {
        const tree = git(dir, 'rev-parse', `${REF}^{tree}`).trim();
        const head = git(dir, 'rev-parse', REF).trim();
        const commit = git(dir, 'commit-tree', tree, '-p', head, '-m', 'outside').trim();
        git(dir, 'update-ref', REF, commit, head);
      },
    });
    expectOutcomes(outcomes);
    expect(subjects(dir, 4)).toEqual([
      'outside',
      expect.stringMatching(new RegExp(`^update ${ids[0]}`)),
      expect.stringMatching(new RegExp(`^comment on ${ids[1]}`)),
      expect.stringMatching(/^create tk-\w+: Made in a group$/),
    ]);
    // One by one: a reflog entry for each write, none for the dropped group.
    expect(
      reflog(dir)
        .slice(0, 3)
        .every((r) => !r.includes('more commits')),
    ).toBe(true);
    // Nothing twice: the dropped group's ticket and comment are not in the store.
    const made = tack(dir, 'search', 'Made in a group', '--json');
    expect(JSON.parse(made).tickets ?? JSON.parse(made)).toHaveLength(1);
    expect(tackJson(dir, 'show', ids[1]).comments).toHaveLength(1);
    const index = dumpIndexFile(indexFile(dir));
    ctx.close();
    expect(index).toEqual(rebuilt(dir));
    git(dir, 'fsck', '--strict', '--no-progress');
  });

  it("writes its pack in the repository's object format (SHA-256)", async () => {
    const repo = { dir: mkdtempSync(join(tmpdir(), 'tack-test-')) };
    track(() => rmSync(repo.dir, { recursive: true, force: true }));
    git(repo.dir, 'init', '-q', '--object-format=sha256');
    git(repo.dir, 'config', 'user.name', 'Group Test');
    git(repo.dir, 'config', 'user.email', 'group@example.com');
    git(repo.dir, 'commit', '-q', '--allow-empty', '-m', 'init');
    tack(repo.dir, 'init');
    const ids = ['Alpha', 'Beta', 'Gamma'].map((t) => tackJson(repo.dir, 'create', t).id as string);
    const ctx = createContext({ effects: nodeEffects(), cwd: repo.dir });
    track(() => ctx.close());
    expectOutcomes(await runWriteGroup(ctx, writesOf(ctx, ids)));
    expect(git(repo.dir, 'rev-parse', REF).trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(tackJson(repo.dir, 'show', ids[0]).priority).toBe('urgent');
    git(repo.dir, 'fsck', '--strict', '--no-progress');
  });

  it('moves nothing when its pack cannot be written: the ref, the index and the store stay as they were', async () => {
    const { dir, ids, ctx } = store();
    await ctx.index();
    const head = git(dir, 'rev-parse', REF).trim();
    const index = dumpIndexFile(indexFile(dir));
    // A pack directory that cannot be written to (a full disk, say): here a file in its place.
    const packs = join(dir, '.git', 'objects', 'pack');
    expect(readdirSync(packs)).toEqual([]);
    rmSync(packs, { recursive: true });
    writeFileSync(packs, '');
    try {
      await expect(runWriteGroup(ctx, writesOf(ctx, ids))).rejects.toThrow(/could not write a pack of \d+ objects/);
    } finally {
      rmSync(packs);
      mkdirSync(packs);
    }
    expect(git(dir, 'rev-parse', REF).trim()).toBe(head);
    expect(dumpIndexFile(indexFile(dir))).toEqual(index);
    // The next group writes as usual.
    expectOutcomes(await runWriteGroup(ctx, writesOf(ctx, ids)));
    expect(tackJson(dir, 'show', ids[0]).priority).toBe('urgent');
    git(dir, 'fsck', '--strict', '--no-progress');
  });
});
