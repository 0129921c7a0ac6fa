import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, revParse, tackAsync, tackJson, tempStore, trackCleanups } from './helpers.js';

/*
 * Every git worktree of a repository shares one store (the tack ref lives in the common
 * git dir) and one index (.git/tack/index.db): a write from one is seen by all at once.
 */

const track = trackCleanups();

function setup(): { main: string; wt1: string; wt2: string } {
  const r = tempStore();
  track(r.cleanup);
  const root = mkdtempSync(join(tmpdir(), 'tack-worktrees-'));
  track(() => rmSync(root, { recursive: true, force: true }));
  const wt1 = join(root, 'feature');
  const wt2 = join(root, 'detached');
  git(r.dir, 'worktree', 'add', '-q', '-b', 'feature', wt1);
  git(r.dir, 'worktree', 'add', '-q', '--detach', wt2);
  return { main: r.dir, wt1, wt2 };
}

const ids = (dir: string) => (tackJson(dir, 'list', '--all') as Array<{ id: string }>).map((t) => t.id).sort();

describe('worktrees', () => {
  it('all worktrees see the same tickets and use the same index file', () => {
    const { main, wt1, wt2 } = setup();
    const a = tackJson(main, 'create', 'Made in main').id;
    expect(ids(wt1)).toEqual([a]);
    expect(ids(wt2)).toEqual([a]);

    const paths = [main, wt1, wt2].map((d) => realpathSync(tackJson(d, 'reindex').path));
    expect(new Set(paths).size).toBe(1);
    expect(paths[0]).toBe(realpathSync(join(main, '.git', 'tack', 'index.db')));
    for (const name of ['feature', 'detached'])
      expect(existsSync(join(main, '.git', 'worktrees', name, 'tack'))).toBe(false);
  });

  it('a write from one worktree is visible in the others at once, and no HEAD or work tree moves', () => {
    const { main, wt1, wt2 } = setup();
    const heads = [main, wt1, wt2].map((d) => revParse(d, 'HEAD'));
    const a = tackJson(wt1, 'create', 'Made in feature').id;
    expect(tackJson(wt2, 'show', a).title).toBe('Made in feature');
    tackJson(wt2, 'update', a, '--status', 'in-progress');
    expect(tackJson(main, 'show', a).status).toBe('in-progress');
    expect(tackJson(wt1, 'show', a).status).toBe('in-progress');
    const b = tackJson(main, 'create', 'Made in main').id;
    expect(ids(wt1)).toEqual([a, b].sort());
    expect([main, wt1, wt2].map((d) => revParse(d, 'HEAD'))).toEqual(heads);
    for (const d of [main, wt1, wt2]) expect(git(d, 'status', '--porcelain')).toBe('');
  });

  it('writers in different worktrees at the same time lose nothing', async () => {
    const { main, wt1, wt2 } = setup();
    const runs = await Promise.all(
      [main, wt1, wt2].flatMap((d, i) => [0, 1, 2].map((j) => tackAsync(d, ['create', `wt${i}-${j}`, '--json']))),
    );
    const failed = runs.filter((r) => r.status !== 0).map((r) => r.stderr);
    if (failed.length) console.error('FAILED RUNS', failed);
    expect(failed).toEqual([]);
    const made = runs.map((r) => JSON.parse(r.stdout).id).sort();
    for (const d of [main, wt1, wt2]) expect(ids(d)).toEqual(made);
    expect(git(main, 'rev-list', '--count', 'tack')).toBe(String(1 + made.length));
  });
});
