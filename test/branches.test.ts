import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, revParse, tack, tackFail, tackJson, tackRaw, tempRepo, tempStore, trackCleanups } from './helpers.js';

/*
 * Plans as branches: `tack branch create` starts an alternative plan (now or from any
 * past state), `--branch NAME` works on it, `tack branch merge` brings it back with the
 * merge function; `tack revert` undoes one Tack commit as a new commit.
 */

const track = trackCleanups();

interface Shown {
  title: string;
  status: string;
  priority: string;
  labels: string[];
  extra: { conflicts?: unknown[] };
}

function store(): string {
  const r = tempStore();
  track(r.cleanup);
  return r.dir;
}

const at = (dir: string, time: string, ...args: string[]) => {
  const r = tackRaw(dir, args, { TACK_NOW: time });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
};

describe('plan branches', () => {
  it('create, work on with --branch, list, merge back, delete', () => {
    const dir = store();
    const id = tackJson<{ id: string }>(dir, 'create', 'Shared').id;
    expect(tackJson(dir, 'branch', 'create', 'alt')).toMatchObject({
      name: 'alt',
      ref: 'refs/heads/tack-alt',
      head: revParse(dir, 'tack'),
    });
    at(dir, '2026-11-21T10:00:00Z', '--branch', 'alt', 'update', id, '--title', 'Alt title');
    const only = tackJson<{ id: string }>(dir, '--branch', 'alt', 'create', 'Only in alt').id;
    expect(tackJson<unknown[]>(dir, 'list')).toHaveLength(1);
    expect(tackJson<unknown[]>(dir, 'list', '--branch', 'alt')).toHaveLength(2);
    at(dir, '2026-11-21T11:00:00Z', 'update', id, '--status', 'in-progress');
    expect(tackJson<Array<{ name: string; ahead: number; behind: number }>>(dir, 'branch', 'list')).toEqual([
      expect.objectContaining({ name: 'alt', ahead: 2, behind: 1 }),
    ]);
    const merged = tackJson<{ merged: number; conflicts: number; fastForward: boolean }>(dir, 'branch', 'merge', 'alt');
    expect(merged).toMatchObject({ merged: 1, conflicts: 0, fastForward: false });
    expect(git(dir, 'log', '-1', '--format=%P', 'tack').split(' ')).toHaveLength(2);
    const t = tackJson<Shown>(dir, 'show', id);
    expect(t).toMatchObject({ title: 'Alt title', status: 'in-progress' });
    expect(tackJson<{ title: string }>(dir, 'show', only).title).toBe('Only in alt');
    expect(tackJson(dir, 'branch', 'merge', 'alt')).toMatchObject({ upToDate: true });
    const planIndex = join(dir, '.git', 'tack', 'index-plan-alt.db');
    expect(existsSync(planIndex)).toBe(true);
    tack(dir, 'branch', 'delete', 'alt');
    expect(revParse(dir, 'refs/heads/tack-alt')).toBeNull();
    expect(existsSync(planIndex)).toBe(false); // no index file left behind
    expect(tackFail(dir, 'list', '--branch', 'alt').error.code).toBe('not_found');
  });

  it('a plan from a past state, with a conflicting edit, merges without loss', () => {
    const dir = store();
    const id = tackJson<{ id: string }>(dir, 'create', 'Shared').id;
    at(dir, '2026-11-21T09:00:00Z', 'update', id, '--priority', 'low');
    tack(dir, 'branch', 'create', 'old', '--from', 'tack~1');
    expect(tackJson<Shown>(dir, 'show', id, '--branch', 'old').priority).toBe('none');
    at(dir, '2026-11-21T12:00:00Z', '--branch', 'old', 'update', id, '--priority', 'urgent');
    const res = tackJson<{ conflicts: number }>(dir, 'branch', 'merge', 'old');
    expect(res.conflicts).toBe(1);
    const t = tackJson<Shown>(dir, 'show', id);
    expect(t.priority).toBe('urgent');
    expect(t.extra.conflicts).toEqual([expect.objectContaining({ field: 'priority', lost: 'low', kept: 'urgent' })]);
  });

  it('refuses bad names, duplicates and inline stores with clear errors', () => {
    const dir = store();
    expect(tackFail(dir, 'branch', 'create', '-x').status).not.toBe(0);
    tack(dir, 'branch', 'create', 'p1');
    expect(tackFail(dir, 'branch', 'create', 'p1').error.code).toBe('already_exists');
    const inline = tempStore({ inline: true });
    track(inline.cleanup);
    expect(tackFail(inline.dir, 'branch', 'create', 'p').error.message).toMatch(/inline/);
  });

  it('init --branch still names the store branch (not the global plan flag)', () => {
    const r = tempRepo();
    track(r.cleanup);
    tack(r.dir, 'init', '--branch', 'planning');
    expect(revParse(r.dir, 'refs/heads/planning')).not.toBeNull();
    expect(revParse(r.dir, 'refs/heads/tack')).toBeNull();
  });
});

describe('tack revert', () => {
  it('undoes one change as a new commit and keeps later edits', () => {
    const dir = store();
    const id = tackJson<{ id: string }>(dir, 'create', 'Shared').id;
    at(dir, '2026-11-21T10:00:00Z', 'label', 'add', id, 'foo');
    const labelled = revParse(dir, 'tack');
    at(dir, '2026-11-21T10:00:01Z', 'update', id, '--priority', 'high');
    const before = Number(git(dir, 'rev-list', '--count', 'tack'));
    const out = tackJson<{ commit: string; tickets: string[] }>(dir, 'revert', labelled!);
    expect(out.tickets).toEqual([id]);
    expect(Number(git(dir, 'rev-list', '--count', 'tack'))).toBe(before + 1);
    const msg = git(dir, 'log', '-1', '--format=%B', 'tack');
    expect(msg).toContain('Tack-Op: revert');
    expect(msg).toContain(`Tack-Reverts: ${labelled}`);
    const t = tackJson<Shown>(dir, 'show', id);
    expect(t.labels).toEqual([]);
    expect(t.priority).toBe('high');
  });

  it('reverting a create removes the ticket; a later edit to the same field is kept and the undone value recorded', () => {
    const dir = store();
    const id = JSON.parse(at(dir, '2026-11-21T09:00:00Z', 'create', 'Shared', '--json')).id as string;
    const created = tackJson<{ id: string }>(dir, 'create', 'Mistake').id;
    tack(dir, 'revert', 'tack');
    expect(tackFail(dir, 'show', created).error.code).toBe('not_found');
    at(dir, '2026-11-21T10:00:00Z', 'update', id, '--status', 'in-progress');
    const target = revParse(dir, 'tack')!;
    at(dir, '2026-11-21T11:00:00Z', 'update', id, '--status', 'done');
    tack(dir, 'revert', target);
    const t = tackJson<Shown>(dir, 'show', id);
    expect(t.status).toBe('done');
    expect(t.extra.conflicts).toEqual([expect.objectContaining({ field: 'status', lost: 'todo', kept: 'done' })]);
    expect(tackFail(dir, 'revert', 'no-such-rev').error.code).toBe('not_found');
  });
});
