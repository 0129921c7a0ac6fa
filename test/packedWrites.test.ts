import { createRequire } from 'node:module';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { nodeEffects } from '../src/effects/nodeEffects.js';
import { createContext } from '../src/ops/context.js';
import { runOp } from '../src/ops/runOp.js';
import { runWriteGroup } from '../src/ops/writeGroup.js';
import { git, sh, tack, tackJson, tackRaw, tempRepo, trackCleanups } from './helpers.js';

/*
 * A write to a store whose objects are packed (after `git gc`, or in a fresh clone) costs
 * what a write to loose objects costs in processes: the ticket and its shard's tree come
 * from one `cat-file --batch`, the ref moves by `update-ref`, and git's index plumbing
 * (read-tree, update-index, write-tree: five processes a write) is never needed.
 */

const track = trackCleanups();
const cp = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');

/** The git subcommands this process starts while `run` runs ("live …": one that stays, see LiveCatFile). */
async function gitRuns(run: () => Promise<unknown>): Promise<string[]> {
  const real = { spawnSync: cp.spawnSync, spawn: cp.spawn };
  const seen: string[] = [];
  const spies = (['spawnSync', 'spawn'] as const).map((fn) =>
    vi.spyOn(cp, fn).mockImplementation(((cmd: string, args: string[], opts: object) => {
      // The subcommand: the first argument that is not an option (`-c name=value` comes first).
      const sub = args.find((a, i) => !a.startsWith('-') && args[i - 1] !== '-c');
      if (cmd === 'git') seen.push(fn === 'spawn' ? `live ${sub}` : `${sub}`);
      return real[fn](cmd, args, opts as never);
    }) as never),
  );
  const restore = () => {
    for (const s of spies) s.mockRestore();
  };
  onTestFinished(restore);
  await run();
  restore();
  return seen;
}

describe('writes to a packed fan-out store', () => {
  it('start cat-file and update-ref only, and git finds every object valid', async () => {
    const repo = tempRepo();
    track(repo.cleanup);
    tack(repo.dir, 'init', '--layout', 'fanout');
    const ids = ['One', 'Two', 'Three'].map((t) => tackJson(repo.dir, 'create', t).id as string);
    git(repo.dir, 'gc', '-q');
    const ctx = createContext({ effects: nodeEffects(), cwd: repo.dir });
    try {
      await ctx.index();
      for (const [i, id] of ids.entries()) {
        const seen = await gitRuns(() => runOp(ctx, 'update', { id, priority: 'urgent' }));
        // The first write also finds the ref's commit and root tree packed: one more batch.
        expect(seen.filter((c) => c !== 'cat-file')).toEqual(['update-ref']);
        expect(seen.filter((c) => c === 'cat-file').length).toBeLessThanOrEqual(i === 0 ? 2 : 1);
      }
    } finally {
      ctx.close();
    }
    for (const id of ids) expect(tackJson(repo.dir, 'show', id).priority).toBe('urgent');
    git(repo.dir, 'fsck', '--strict', '--no-progress');
  });

  it('a group of writes reads its tickets from a live cat-file, writes one pack and starts only update-ref', async () => {
    const repo = tempRepo();
    track(repo.cleanup);
    tack(repo.dir, 'init', '--layout', 'fanout');
    const ids = Array.from({ length: 10 }, (_, i) => tackJson(repo.dir, 'create', `Ticket ${i}`).id as string);
    git(repo.dir, 'gc', '-q');
    const ctx = createContext({ effects: nodeEffects(), cwd: repo.dir });
    const group = async (some: string[]) => {
      const writes = some.map((id) => ({ ctx, name: 'update', input: { id, priority: 'urgent' } }));
      let outcomes: Awaited<ReturnType<typeof runWriteGroup>> = [];
      const seen = await gitRuns(async () => (outcomes = await runWriteGroup(ctx, writes)));
      expect(outcomes.every((o) => o.ok)).toBe(true);
      return seen;
    };
    const count = (seen: string[], cmd: string) => seen.filter((c) => c === cmd).length;
    try {
      await ctx.index();
      // Right after a gc the head commit and its trees are packed too: the first write reads
      // them, and the objects made before that read go to a pack of their own first.
      const first = await group(ids.slice(0, 5));
      expect(count(first, 'cat-file')).toBeLessThanOrEqual(3);
      expect(count(first, 'live cat-file')).toBe(1);
      expect(count(first, 'update-ref')).toBe(1);
      // Then the group starts from its own commit: its five tickets are read ahead by the git
      // the first group started, its objects written here as one pack, and the ref moved by
      // the one process a group starts.
      expect(await group(ids.slice(5))).toEqual(['update-ref']);
    } finally {
      ctx.close();
    }
    for (const id of ids) expect(tackJson(repo.dir, 'show', id).priority).toBe('urgent');
    git(repo.dir, 'fsck', '--strict', '--no-progress');
  });

  it('a create into a packed shard reads no tree from git: the index rebuilds the shard, checked by its id', async () => {
    const repo = tempRepo();
    track(repo.cleanup);
    tack(repo.dir, 'init', '--layout', 'fanout');
    const taken = ['One', 'Two', 'Three', 'Four'].map((t) => tackJson(repo.dir, 'create', t).id as string);
    git(repo.dir, 'gc', '-q');
    const ctx = createContext({ effects: nodeEffects(), cwd: repo.dir });
    // New ids that land in the shard of an existing ticket (same first two characters, then
    // others): the shard's tree is packed, as most shards of a large store are.
    const crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
    const real = crypto.randomBytes;
    const shardOf = (id: string) => id.split('-')[1].slice(0, 2);
    let shard = '';
    let made = 0;
    const spy = vi.spyOn(crypto, 'randomBytes').mockImplementation(((n: number) => {
      if (n !== 16 || !shard) return real(n);
      const tail = `${'wxyz'[made++ % 4]}${'0123456789'[made % 10]}q0q0q0`;
      return Buffer.from([...`${shard}${tail}`].map((c) => '0123456789abcdefghijklmnopqrstuvwxyz'.indexOf(c)));
    }) as never);
    onTestFinished(() => spy.mockRestore());
    const created: string[] = [];
    try {
      await ctx.index();
      // Right after the gc the head commit and root trees are packed: the first write reads them.
      created.push((await runOp<{ id: string }>(ctx, 'create', { title: 'after gc' })).id);
      // Each into the packed shard of another ticket (a shard written once is loose after).
      for (let i = 1; i < taken.length; i++) {
        shard = shardOf(taken[i]);
        let id = '';
        const seen = await gitRuns(async () => {
          id = (await runOp<{ id: string }>(ctx, 'create', { title: `into the shard ${i}` })).id;
        });
        expect(id.split('-')[1].slice(0, 2)).toBe(shard);
        expect(seen).toEqual(['update-ref']);
        created.push(id);
      }
      // A file that is no ticket, committed into the shard by plain git: the shard the next
      // write rebuilds holds it too (or git is asked), never a tree without it.
      const before = git(repo.dir, 'rev-parse', 'tack');
      const env = { GIT_INDEX_FILE: `${repo.dir}/.git/tack-test-index` };
      const stray = sh(repo.dir, 'sh', ['-c', 'printf "not a ticket\\n" | git hash-object -w --stdin']).trim();
      sh(repo.dir, 'git', ['read-tree', 'tack'], env);
      sh(
        repo.dir,
        'git',
        ['update-index', '--add', '--cacheinfo', `100644,${stray},tickets/${shard}/zz-notes.txt`],
        env,
      );
      const tree = sh(repo.dir, 'git', ['write-tree'], env).trim();
      const commit = sh(repo.dir, 'git', ['commit-tree', tree, '-p', before, '-m', 'a hand-made file']).trim();
      git(repo.dir, 'update-ref', 'refs/heads/tack', commit, before);
      created.push((await runOp<{ id: string }>(ctx, 'create', { title: 'after the hand-made commit' })).id);
      expect(git(repo.dir, 'ls-tree', '--name-only', 'tack', `tickets/${shard}/`)).toContain('zz-notes.txt');
    } finally {
      spy.mockRestore();
      ctx.close();
    }
    const listed = tackJson(repo.dir, 'list', '--all', '--limit', '0').map((t: { id: string }) => t.id);
    for (const id of [...taken, ...created]) expect(listed).toContain(id);
    git(repo.dir, 'fsck', '--strict', '--no-progress');
  });
});

describe('a bulk edit of many tickets', () => {
  /** A fan-out store of 60 tickets, every object packed (as fetched): their ids. */
  const sixtyPacked = (title: string) => {
    const repo = tempRepo();
    track(repo.cleanup);
    tack(repo.dir, 'init', '--layout', 'fanout');
    const lines = Array.from({ length: 60 }, (_, i) => JSON.stringify({ op: 'create', title: `${title} ${i}` }));
    expect(tackRaw(repo.dir, ['batch', '--json'], {}, lines.join('\n')).status).toBe(0);
    const ids = (tackJson(repo.dir, 'list', '--limit', '0') as Array<{ id: string }>).map((t) => t.id);
    expect(ids).toHaveLength(60);
    git(repo.dir, 'gc', '-q');
    return { repo, ids };
  };

  it('reads their files with one cat-file, not one each (close, label, reopen of 60 tickets)', async () => {
    const { repo, ids } = sixtyPacked('Bulk');
    const ctx = createContext({ effects: nodeEffects(), cwd: repo.dir });
    try {
      await ctx.index();
      for (const [name, input] of [
        ['close', { ids }],
        ['label-add', { id: ids[0], also: ids.slice(1), labels: ['bulk'] }],
        ['reopen', { ids }],
      ] as const) {
        const seen = await gitRuns(() => runOp(ctx, name, input));
        // The read-ahead, the head's trees, the old versions indexed: a few whatever the count
        // (6 here, 7 for 1,000 tickets of a 100,000-ticket store), where each ticket took one.
        expect(seen.filter((c) => c === 'cat-file').length, name).toBeLessThanOrEqual(8);
      }
    } finally {
      ctx.close();
    }
    const after = tackJson(repo.dir, 'list', '--limit', '0') as Array<{ labels: string[]; status: string }>;
    expect(after.every((t) => t.labels.includes('bulk') && t.status !== 'done')).toBe(true);
    git(repo.dir, 'fsck', '--strict', '--no-progress');
  });

  it('a schema rename reads the files it rewrites with one cat-file, not one each', async () => {
    const { repo } = sixtyPacked('Renamed');
    const ctx = createContext({ effects: nodeEffects(), cwd: repo.dir });
    try {
      await ctx.index();
      const seen = await gitRuns(() => runOp(ctx, 'schema-rename-state', { from: 'todo', to: 'to-do' }));
      // 66 before the read-ahead, a git process per ticket.
      expect(seen.filter((c) => c === 'cat-file').length).toBeLessThanOrEqual(8);
    } finally {
      ctx.close();
    }
    const after = tackJson(repo.dir, 'list', '--limit', '0') as Array<{ status: string }>;
    expect(after.map((t) => t.status)).toEqual(after.map(() => 'to-do'));
    git(repo.dir, 'fsck', '--strict', '--no-progress');
  });
});
