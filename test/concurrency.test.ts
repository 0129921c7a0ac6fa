import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, tackAsync, tackJson, tempStore, trackCleanups } from './helpers.js';

/*
 * Concurrent writers never lose an update: 8 processes at once, each creating tickets
 * and updating them. Every operation must be its own commit on the tack branch, and the
 * final state must hold every one of them.
 */

const track = trackCleanups();

const WORKERS = 8;
const PER_WORKER = 5;

async function worker(dir: string, w: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < PER_WORKER; i++) {
    const c = await tackAsync(dir, ['create', `w${w}-t${i}`, '--label', `w${w}`, '--json']);
    if (c.status !== 0) throw new Error(`worker ${w} create ${i}: exit ${c.status}: ${c.stderr}`);
    const id = JSON.parse(c.stdout).id as string;
    ids.push(id);
    const u = await tackAsync(dir, ['update', id, '--status', 'in-progress', '--assignee', `agent-${w}`, '--json']);
    if (u.status !== 0) throw new Error(`worker ${w} update ${id}: exit ${u.status}: ${u.stderr}`);
  }
  return ids;
}

describe('concurrency', () => {
  it(`${WORKERS} processes creating and updating in parallel lose nothing`, async () => {
    const r = tempStore();
    track(r.cleanup);
    const dir = r.dir;

    // wait for every worker (a failed one must not leave others writing into a deleted dir)
    const settled = await Promise.allSettled(Array.from({ length: WORKERS }, (_, w) => worker(dir, w)));
    const failures = settled
      .filter((s): s is PromiseRejectedResult => s.status === 'rejected')
      .map((s) => String(s.reason));
    expect(failures).toEqual([]);
    const perWorker = settled.map((s) => (s as PromiseFulfilledResult<string[]>).value);
    const all = perWorker.flat();
    expect(new Set(all).size).toBe(WORKERS * PER_WORKER);

    // every operation is a commit: init + one create and one update per ticket, in one line of history
    const ops = git(dir, 'log', '--format=%(trailers:key=Tack-Op,valueonly)', 'tack').split('\n').filter(Boolean);
    expect(ops.filter((o) => o === 'create')).toHaveLength(WORKERS * PER_WORKER);
    expect(ops.filter((o) => o === 'update')).toHaveLength(WORKERS * PER_WORKER);
    expect(ops.filter((o) => o === 'init')).toHaveLength(1);
    expect(git(dir, 'rev-list', '--count', 'tack')).toBe(String(1 + 2 * WORKERS * PER_WORKER));
    expect(git(dir, 'rev-list', '--merges', 'tack')).toBe('');
    // each ticket's commits: exactly one create and one update name it
    const named = git(dir, 'log', '--format=%(trailers:key=Tack-Ticket,valueonly)', 'tack').split('\n').filter(Boolean);
    for (const id of all) expect(named.filter((n) => n === id)).toHaveLength(2);

    // the final state has all of them, in git and in the index
    const files = git(dir, 'ls-tree', '--name-only', 'tack', 'tickets/')
      .split('\n')
      .filter((f) => f.endsWith('.md'));
    expect(files.sort()).toEqual(all.map((id) => `tickets/${id}.md`).sort());
    for (let w = 0; w < WORKERS; w++) {
      for (const id of perWorker[w]) {
        const text = git(dir, 'show', `tack:tickets/${id}.md`);
        expect(text).toContain('status: in-progress');
        expect(text).toContain(`assignee: agent-${w}`);
        expect(text).toContain(`labels: [w${w}]`);
      }
    }
    // no temporary index or lock left behind
    expect(readdirSync(join(dir, '.git', 'tack')).filter((f) => /tmp-index|\.lock$/.test(f))).toEqual([]);
    const listed = tackJson(dir, 'list', '--all');
    expect(listed).toHaveLength(WORKERS * PER_WORKER);
    for (const t of listed) {
      const w = perWorker.findIndex((ids) => ids.includes(t.id));
      expect(t).toMatchObject({ status: 'in-progress', assignee: `agent-${w}`, labels: [`w${w}`] });
    }
  });
});
