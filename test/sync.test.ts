import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, revParse, tack, tackJson, tackRaw, tempStore, trackCleanups } from './helpers.js';
import { CONFLICT_MARKERS, remoteWithStore, ticketText } from './syncHelpers.js';

/*
 * tack sync: fetch, merge in memory (never a checkout), commit, push, retry on a rejected
 * push; and tack status's ahead/behind. Real clones of a real bare remote.
 */

const track = trackCleanups();

interface Report {
  pulled: number;
  pushed: number;
  merged: number;
  conflicts: number;
  ahead: number;
  behind: number;
  message: string;
  remote: string | null;
}

const create = (dir: string, title: string) => tackJson<{ id: string }>(dir, 'create', title).id;
const at = (dir: string, time: string, ...args: string[]) => {
  const r = tackRaw(dir, args, { TACK_NOW: time });
  if (r.status !== 0) throw new Error(r.stderr);
};

describe('tack sync', () => {
  it('without a remote: a clear message and exit 0', () => {
    const r = tempStore();
    track(r.cleanup);
    const out = tackJson<Report>(r.dir, 'sync');
    expect(out.remote).toBeNull();
    expect(out.message).toMatch(/no git remote/);
  });

  it('inline mode says syncing is git pull / git push', () => {
    const r = tempStore({ inline: true });
    track(r.cleanup);
    expect(tack(r.dir, 'sync')).toMatch(/git pull.*git push/);
  });

  it('pushes, pulls by fast-forward, and reports counts', () => {
    const { first, clone } = remoteWithStore(track);
    const b = clone();
    create(first, 'One');
    create(first, 'Two');
    const st = tackJson<Report>(first, 'status');
    expect(st).toMatchObject({ ahead: 2, behind: 0 });
    expect(st.message).not.toMatch(/in sync/);
    expect(tackJson<Report>(first, 'sync')).toMatchObject({ pushed: 2, pulled: 0, merged: 0, ahead: 0, behind: 0 });
    expect(tackJson<Report>(b, 'status', '--fetch')).toMatchObject({ ahead: 0, behind: 2 });
    expect(tackJson<Report>(b, 'sync')).toMatchObject({ pulled: 2, pushed: 0, merged: 0 });
    expect(tackJson<unknown[]>(b, 'list')).toHaveLength(2);
    expect(tackJson<Report>(b, 'sync').message).toMatch(/pulled 0, pushed 0.*in sync/);
  });

  it('merges diverged clones field by field without touching HEAD or the work tree', () => {
    const { first: a, clone } = remoteWithStore(track);
    const id = create(a, 'Shared');
    tack(a, 'sync');
    const b = clone();
    const headB = revParse(b, 'HEAD');
    at(a, '2026-11-21T10:00:00Z', 'update', id, '--status', 'in-progress');
    at(a, '2026-11-21T10:00:01Z', 'label', 'add', id, 'from-a');
    at(b, '2026-11-21T11:00:00Z', 'update', id, '--status', 'done');
    at(b, '2026-11-21T11:00:01Z', 'label', 'add', id, 'from-b');
    at(b, '2026-11-21T11:00:02Z', 'comment', id, 'comment from b');
    at(a, '2026-11-21T10:00:03Z', 'comment', id, 'comment from a');
    expect(tackJson<Report>(a, 'sync')).toMatchObject({ pushed: 3 });
    const rb = tackJson<Report>(b, 'sync');
    expect(rb).toMatchObject({ pulled: 3, pushed: 4, merged: 1, conflicts: 1, ahead: 0, behind: 0 });
    expect(revParse(b, 'HEAD')).toBe(headB);
    expect(git(b, 'status', '--porcelain')).toBe('');
    const merge = git(b, 'log', '-1', '--format=%P%n%B', 'tack');
    expect(merge.split('\n')[0].split(' ')).toHaveLength(2);
    expect(merge).toContain('Tack-Op: sync');
    const text = ticketText(b, id);
    expect(text).not.toMatch(CONFLICT_MARKERS);
    const shown = tackJson<{
      status: string;
      labels: string[];
      comments: Array<{ body: string }>;
      extra: { conflicts: unknown[] };
    }>(b, 'show', id);
    expect(shown.status).toBe('done');
    expect(shown.labels.sort()).toEqual(['from-a', 'from-b']);
    expect(shown.comments.map((c) => c.body).sort()).toEqual(['comment from a', 'comment from b']);
    expect(shown.extra.conflicts).toEqual([
      { field: 'status', lost: 'in-progress', kept: 'done', at: '2026-11-21T10:00:03Z' },
    ]);
    expect(tack(b, 'show', id)).toMatch(/merge conflict: status: kept done, lost in-progress/);
    expect(tackJson<Report>(a, 'sync')).toMatchObject({ pulled: 4, pushed: 0 });
    expect(revParse(a, 'tack')).toBe(revParse(b, 'tack'));
    expect(tackJson<Array<{ id: string }>>(a, 'conflicts').map((c) => c.id)).toEqual([id]);
    tack(a, 'conflicts', 'resolve', id);
    expect(tackJson<unknown[]>(a, 'conflicts')).toEqual([]);
  });

  it('a rejected push (someone pushed meanwhile) is fetched, merged and retried', () => {
    const { first: a, clone, remote } = remoteWithStore(track);
    const b = clone();
    create(b, 'From b');
    git(b, 'push', '-q', 'origin', 'tack:refs/heads/pending');
    // Between a's fetch and a's push, the remote's tack moves (a hook plays the other clone).
    const hook = join(remote, 'hooks', 'pre-receive');
    writeFileSync(
      hook,
      '#!/bin/sh\nif [ ! -e moved ]; then touch moved; env -u GIT_QUARANTINE_PATH git update-ref refs/heads/tack refs/heads/pending; fi\nexit 0\n',
    );
    chmodSync(hook, 0o755);
    create(a, 'From a');
    const ra = tackJson<Report & { attempts: number }>(a, 'sync');
    expect(ra.attempts).toBe(2);
    expect(ra).toMatchObject({ pulled: 1, pushed: 2, ahead: 0, behind: 0 });
    expect(git(a, '--git-dir', remote, 'rev-parse', 'tack')).toBe(revParse(a, 'tack'));
    expect(tackJson<unknown[]>(a, 'list')).toHaveLength(2);
  });

  it('a plan branch is shared with --branch NAME sync, and a clone adopts it', () => {
    const { first: a, clone } = remoteWithStore(track);
    tack(a, 'branch', 'create', 'plan');
    tack(a, '--branch', 'plan', 'create', 'Planned');
    expect(tackJson<Report>(a, '--branch', 'plan', 'sync')).toMatchObject({ pushed: 1, ahead: 0 });
    const b = clone();
    expect(tackJson<unknown[]>(b, 'list', '--branch', 'plan')).toHaveLength(1);
    expect(tackJson<unknown[]>(b, 'list')).toHaveLength(0);
  });

  it('concurrent syncs from two clones converge', async () => {
    const { first: a, clone } = remoteWithStore(track);
    const b = clone();
    for (let i = 0; i < 3; i++) {
      create(a, `a${i}`);
      create(b, `b${i}`);
    }
    const { tackAsync } = await import('./helpers.js');
    const results = await Promise.all([tackAsync(a, ['sync', '--json']), tackAsync(b, ['sync', '--json'])]);
    for (const r of results) expect(r.status, r.stderr).toBe(0);
    tack(a, 'sync');
    tack(b, 'sync');
    expect(revParse(a, 'tack')).toBe(revParse(b, 'tack'));
    expect(tackJson<unknown[]>(a, 'list')).toHaveLength(6);
  });
});
