import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, revParse, tack, tackAsync, tackFail, tackJson, tackRaw, tempStore, trackCleanups } from './helpers.js';
import { remoteWithStore } from './syncHelpers.js';

/*
 * Reviews and metadata on code commits as git notes (refs/notes/tack): readable by plain
 * `git log --notes=tack`, appended (never overwritten), synced and merged by `tack sync`,
 * queried by `tack reviews`. Real repositories, bare remotes, the built CLI.
 */

const track = trackCleanups();

interface Row {
  commit: string;
  time: string;
  author: string;
  review: string | null;
  ticket: string | null;
  meta: Record<string, string>;
  text: string;
}

const create = (dir: string, title: string) => tackJson<{ id: string }>(dir, 'create', title).id;

function noteAt(dir: string, time: string, user: string, ...args: string[]): void {
  const r = tackRaw(dir, ['note', ...args], { TACK_NOW: time, TACK_USER: user });
  if (r.status !== 0) throw new Error(r.stderr);
}

function commit(dir: string, message: string): string {
  git(dir, 'commit', '-q', '--allow-empty', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

describe('tack note', () => {
  it('appends entries that plain git log shows and tack parses back', () => {
    const r = tempStore();
    track(r.cleanup);
    const id = create(r.dir, 'Parser');
    const c = commit(r.dir, 'parser work');
    noteAt(
      r.dir,
      '2026-11-21T10:00:00Z',
      'alice',
      'HEAD',
      '--review',
      'reject',
      '--ticket',
      id,
      'misses the\nedge case',
    );
    noteAt(r.dir, '2026-11-21T11:00:00Z', 'Bob Smith', c, 'ci=passed', 'build=1234', 'all green');
    const log = git(r.dir, 'log', '-1', '--notes=tack');
    expect(log).toContain('Notes (tack):');
    expect(log).toContain(`2026-11-21T10:00:00Z by=alice review=reject ticket=${id} | misses the\\nedge case`);
    expect(log).toContain('2026-11-21T11:00:00Z by="Bob Smith" ci=passed build=1234 | all green');
    const rows = tackJson<Row[]>(r.dir, 'reviews', '--all');
    expect(rows).toEqual([
      {
        commit: c,
        time: '2026-11-21T10:00:00Z',
        author: 'alice',
        review: 'reject',
        ticket: id,
        meta: {},
        text: 'misses the\nedge case',
      },
      {
        commit: c,
        time: '2026-11-21T11:00:00Z',
        author: 'Bob Smith',
        review: null,
        ticket: null,
        meta: { ci: 'passed', build: '1234' },
        text: 'all green',
      },
    ]);
    expect(tackJson<Row[]>(r.dir, 'reviews')).toHaveLength(1);
  });

  it('concurrent notes on one commit in one clone: none is lost', async () => {
    const r = tempStore();
    track(r.cleanup);
    const c = commit(r.dir, 'work');
    const runs = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => tackAsync(r.dir, ['note', c, `entry ${i}`])));
    expect(runs.map((x) => x.status)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(
      tackJson<Row[]>(r.dir, 'reviews', '--all')
        .map((x) => x.text)
        .sort(),
    ).toEqual([1, 2, 3, 4, 5, 6].map((i) => `entry ${i}`));
  });

  it('refuses an empty note or an unknown ticket, writing nothing', () => {
    const r = tempStore();
    track(r.cleanup);
    commit(r.dir, 'work');
    expect(tackFail(r.dir, 'note', 'HEAD').error.code).toBe('invalid_input');
    expect(tackFail(r.dir, 'note', 'HEAD', '--review', 'approve', '--ticket', 'tk-zzzzzzzz').error.code).toBe(
      'not_found',
    );
    expect(tackFail(r.dir, 'note', 'no-such-rev', 'text').error.code).toBe('not_found');
    expect(revParse(r.dir, 'refs/notes/tack')).toBeNull();
  });
});

describe('tack reviews', () => {
  it('filters by ticket, commit and verdict, and sorts by time, commit or ticket', () => {
    const r = tempStore();
    track(r.cleanup);
    const [a, b] = [create(r.dir, 'A'), create(r.dir, 'B')];
    const c1 = commit(r.dir, 'one');
    const c2 = commit(r.dir, 'two');
    noteAt(r.dir, '2026-01-03T00:00:00Z', 'x', c1, '--review', 'approve', '--ticket', b, 'b ok');
    noteAt(r.dir, '2026-01-01T00:00:00Z', 'y', c2, '--review', 'reject', '--ticket', a, 'a no');
    noteAt(r.dir, '2026-01-02T00:00:00Z', 'z', c2, '--review', 'approve', '--ticket', a.slice(0, 7), 'a ok');
    const texts = (...args: string[]) => tackJson<Row[]>(r.dir, 'reviews', ...args).map((x) => x.text);
    expect(texts()).toEqual(['a no', 'a ok', 'b ok']);
    expect(texts('--verdict', 'approve')).toEqual(['a ok', 'b ok']);
    expect(texts('--ticket', a.slice(0, 7))).toEqual(['a no', 'a ok']);
    expect(texts('--commit', c1)).toEqual(['b ok']);
    expect(texts('--sort', 'ticket')).toEqual(a < b ? ['a no', 'a ok', 'b ok'] : ['b ok', 'a no', 'a ok']);
    const byCommit = tackJson<Row[]>(r.dir, 'reviews', '--sort', 'commit').map((x) => x.commit);
    expect(byCommit).toEqual([...byCommit].sort());
    expect(tack(r.dir, 'reviews', '--verdict', 'reject').trim()).toMatch(
      new RegExp(`^${c2.slice(0, 12)} 2026-01-01T00:00:00Z y reject ${a}: a no$`),
    );
  });
});

describe('notes in tack sync', () => {
  it('two clones note the same commit; both entries survive, on both sides and the remote', () => {
    const { first, clone } = remoteWithStore(track);
    const c = commit(first, 'shared work');
    git(first, 'push', '-q', 'origin', 'main');
    const a = clone();
    const b = clone();
    noteAt(a, '2026-02-01T10:00:00Z', 'alice', c, '--review', 'approve', 'from a');
    noteAt(b, '2026-02-01T09:00:00Z', 'bob', c, '--review', 'reject', 'from b');
    noteAt(b, '2026-02-01T11:00:00Z', 'bob', c, 'from b again');
    expect(tackJson<{ notes: { pushed: boolean } }>(a, 'sync').notes).toEqual({ pulled: false, pushed: true });
    expect(tackJson<{ notes: { pulled: boolean; pushed: boolean } }>(b, 'sync').notes).toEqual({
      pulled: true,
      pushed: true,
    });
    expect(tackJson<{ notes: { pulled: boolean } }>(a, 'sync').notes).toEqual({ pulled: true, pushed: false });
    const want = ['from b', 'from a', 'from b again'];
    for (const dir of [a, b]) {
      expect(tackJson<Row[]>(dir, 'reviews', '--all').map((x) => x.text)).toEqual(want);
      expect(git(dir, 'notes', '--ref=tack', 'show', c).split('\n')).toHaveLength(3);
    }
    expect(git(a, 'rev-parse', 'refs/notes/tack')).toBe(git(b, 'rev-parse', 'refs/notes/tack'));
    // A third, fresh clone gets them all through sync.
    const c3 = clone();
    tack(c3, 'sync');
    expect(git(c3, 'log', '-1', '--notes=tack', c)).toMatch(/from b[\s\S]*from a[\s\S]*from b again/);
  });

  it('a remote that refuses notes does not fail the ticket sync', () => {
    const { remote, first } = remoteWithStore(track);
    const hook = join(remote, 'hooks', 'pre-receive');
    writeFileSync(
      hook,
      '#!/bin/sh\nwhile read old new ref; do case "$ref" in refs/notes/*) echo "no notes here" >&2; exit 1;; esac; done\n',
    );
    chmodSync(hook, 0o755);
    const id = create(first, 'Still synced');
    noteAt(first, '2026-02-01T10:00:00Z', 'alice', 'HEAD', 'a note');
    const out = tackJson<{ pushed: number; notes: { pushed: boolean; error?: string }; message: string }>(
      first,
      'sync',
    );
    expect(out.pushed).toBe(1);
    expect(out.notes.pushed).toBe(false);
    expect(out.notes.error).toMatch(/notes/);
    expect(out.message).toMatch(/notes not synced/);
    expect(git(first, 'ls-remote', remote, 'refs/heads/tack')).toContain(revParse(first, 'tack')!);
    expect(id).toBeTruthy();
  });
});
