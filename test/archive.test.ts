import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, tackFail, tackRaw, tempStore, trackCleanups } from './helpers.js';

/*
 * `tack archive` moves old closed work out of tickets/ in one commit; archived tickets
 * leave list/ready/search but stay queryable; `tack restore` brings any version back.
 */

const track = trackCleanups();

/** Run the CLI at a fixed "now" and parse its --json answer. */
function at(now: string) {
  return (dir: string, ...args: string[]) => {
    const r = tackRaw(dir, [...args, '--json'], { TACK_NOW: now });
    if (r.status !== 0) throw new Error(`tack ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
}
const jan = at('2026-01-01T00:00:00Z');
const mar = at('2026-03-01T00:00:00Z');
const later = at('2026-03-10T00:00:00Z');

/** An inline store (.tack/ on the current branch) with one old closed ticket. */
function inlineSetup() {
  const r = tempStore({ inline: true });
  track(r.cleanup);
  const a = jan(r.dir, 'create', 'Old inline work').id as string;
  jan(r.dir, 'close', a);
  return { dir: r.dir, a };
}

/** Old done A blocks open B; C closed recently; D canceled long ago; E open and old. */
function setup() {
  const r = tempStore();
  track(r.cleanup);
  const dir = r.dir;
  const a = jan(dir, 'create', 'Old finished work').id as string;
  const b = jan(dir, 'create', 'Waiting on the old work').id as string;
  jan(dir, 'link', a, 'blocks', b);
  jan(dir, 'close', a);
  const c = jan(dir, 'create', 'Recently finished').id as string;
  mar(dir, 'close', c);
  const d = jan(dir, 'create', 'Dropped idea').id as string;
  jan(dir, 'update', d, '--status', 'canceled');
  const e = jan(dir, 'create', 'Old but open').id as string;
  return { dir, a, b, c, d, e };
}

const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id).sort();
const files = (dir: string, rev = 'tack') =>
  git(dir, 'ls-tree', '-r', '--name-only', rev)
    .split('\n')
    .filter((p) => /^(tickets|archive)\/.*\.md$/.test(p))
    .sort();

describe('archive', () => {
  it('moves exactly the old closed tickets to archive/ in one commit', () => {
    const { dir, a, b, c, d, e } = setup();
    const before = git(dir, 'rev-parse', 'tack');
    const dry = later(dir, 'archive', '--done-before', '30d', '--dry-run');
    expect(ids(dry.archived)).toEqual([a, d].sort());
    expect(git(dir, 'rev-parse', 'tack')).toBe(before);
    const res = later(dir, 'archive', '--done-before', '30d');
    expect(ids(res.archived)).toEqual([a, d].sort());
    expect(git(dir, 'rev-parse', 'tack^')).toBe(before);
    expect(git(dir, 'log', '-1', '--format=%(trailers:key=Tack-Op,valueonly)', 'tack')).toBe('archive');
    expect(files(dir)).toEqual(
      [`archive/${a}.md`, `archive/${d}.md`, `tickets/${b}.md`, `tickets/${c}.md`, `tickets/${e}.md`].sort(),
    );
    // The move keeps the content: git sees renames.
    expect(
      git(dir, 'diff', '--name-status', '-M', 'tack^', 'tack')
        .split('\n')
        .every((l) => l.startsWith('R100')),
    ).toBe(true);
    expect(later(dir, 'archive', '--done-before', '30d').archived).toEqual([]);
    expect(tackFail(dir, 'archive', '--done-before', 'soon').error.code).toBe('invalid_input');
  });

  it('hides archived tickets from list, ready and search, but not from --archived, --all and show', () => {
    const { dir, a, b, c, d, e } = setup();
    later(dir, 'archive', '--done-before', '30d');
    expect(ids(later(dir, 'list'))).toEqual([b, e].sort());
    expect(ids(later(dir, 'list', '--all'))).toEqual([a, b, c, d, e].sort());
    expect(ids(later(dir, 'list', '--archived'))).toEqual([a, d].sort());
    expect(ids(later(dir, 'list', '--status', 'done'))).toEqual([c]);
    expect(later(dir, 'search', 'finished').map((h: { id: string }) => h.id)).toEqual([c]);
    expect(ids(later(dir, 'search', 'finished', '--archived'))).toEqual([a, c].sort());
    // B's only blocker is archived (done): B is ready, and the relation still resolves.
    expect(ids(later(dir, 'ready'))).toEqual([b, e].sort());
    const shownB = later(dir, 'show', b);
    expect(shownB.blocked_by).toEqual([a]);
    const shownA = later(dir, 'show', a.slice(0, 6));
    expect(shownA.archived).toBe(true);
    expect(shownA.blocks).toEqual([b]);
    expect(later(dir, 'show', b).archived).toBe(false);
    expect(later(dir, 'doctor').ok).toBe(true);
  });

  it('archives named tickets now, whatever their state, in one commit; refuses what it cannot and changes nothing', () => {
    const { dir, a, b, e } = setup();
    const before = git(dir, 'rev-parse', 'tack');
    // Neither or both of ids and --done-before: said, nothing written.
    expect(tackFail(dir, 'archive').error.message).toMatch(/ticket ids or --done-before.*received neither/);
    expect(tackFail(dir, 'archive', e, '--done-before', '30d').error.message).toMatch(/received both/);
    expect(tackFail(dir, 'archive', 'tk-nope').error.code).toBe('not_found');
    expect(later(dir, 'archive', e, '--dry-run').archived.map((t: { id: string }) => t.id)).toEqual([e]);
    expect(git(dir, 'rev-parse', 'tack')).toBe(before);
    // An open ticket and a prefix: one commit, renames, the rest stays.
    const res = later(dir, 'archive', e, b.slice(0, 6));
    expect(ids(res.archived)).toEqual([b, e].sort());
    expect(res.cutoff).toBeNull();
    expect(git(dir, 'rev-parse', 'tack^')).toBe(before);
    expect(files(dir).filter((f) => f.startsWith('archive/'))).toEqual([`archive/${b}.md`, `archive/${e}.md`].sort());
    expect(files(dir)).toContain(`tickets/${a}.md`);
    expect(
      git(dir, 'diff', '--name-status', '-M', 'tack^', 'tack')
        .split('\n')
        .every((l) => l.startsWith('R100')),
    ).toBe(true);
    expect(ids(later(dir, 'list', '--archived'))).toEqual([b, e].sort());
    // Already archived: refused, and the other named ticket is not archived either.
    const head = git(dir, 'rev-parse', 'tack');
    const again = tackFail(dir, 'archive', a, e);
    expect([again.error.code, again.error.message]).toEqual([
      'conflict',
      `${e} is already archived; nothing was archived`,
    ]);
    expect(git(dir, 'rev-parse', 'tack')).toBe(head);
    // And back.
    later(dir, 'restore', e);
    expect(ids(later(dir, 'list', '--archived'))).toEqual([b]);
  });

  it('keeps archived tickets after a full reindex', () => {
    const { dir, a, d } = setup();
    later(dir, 'archive', '--done-before', '30d');
    later(dir, 'reindex');
    expect(ids(later(dir, 'list', '--archived'))).toEqual([a, d].sort());
  });
});

describe('restore', () => {
  it('brings an archived ticket back to tickets/ in one commit', () => {
    const { dir, a } = setup();
    later(dir, 'archive', '--done-before', '30d');
    const res = later(dir, 'restore', a);
    expect(res.from).toBe('archive');
    expect(git(dir, 'log', '-1', '--format=%(trailers:key=Tack-Op,valueonly)', 'tack')).toBe('restore');
    expect(files(dir)).toContain(`tickets/${a}.md`);
    expect(files(dir)).not.toContain(`archive/${a}.md`);
    expect(later(dir, 'show', a).archived).toBe(false);
    expect(later(dir, 'show', a).updated).toBe('2026-03-10T00:00:00Z');
    expect(ids(later(dir, 'list', '--archived')).includes(a)).toBe(false);
    // History tells a move, not a deletion and a re-creation.
    const fields = later(dir, 'show', a).history.map(
      (h: { field: string; new: string | null }) => `${h.field}=${h.new}`,
    );
    expect(fields).toContain('archived=true');
    expect(fields).toContain('archived=false');
    expect(fields.some((f: string) => f.startsWith('deleted='))).toBe(false);
    expect(fields.filter((f: string) => f.startsWith('title=')).length).toBe(1);
  });

  it('brings a deleted ticket back as its last version', () => {
    const { dir, e } = setup();
    jan(dir, 'comment', e, 'last words');
    jan(dir, 'delete', e);
    expect(tackFail(dir, 'show', e).error.code).toBe('not_found');
    const res = later(dir, 'restore', e.slice(0, 7));
    expect(res.restored).toBe(e);
    const shown = later(dir, 'show', e);
    expect(shown.title).toBe('Old but open');
    expect(shown.comments.map((c: { body: string }) => c.body)).toEqual(['last words']);
  });

  it('brings back a past version with --at, and refuses a live ticket without it', () => {
    const { dir, e } = setup();
    const old = git(dir, 'rev-parse', 'tack');
    jan(dir, 'update', e, '--title', 'A new title');
    expect(tackFail(dir, 'restore', e).error.code).toBe('invalid_input');
    later(dir, 'restore', e, '--at', old);
    expect(later(dir, 'show', e).title).toBe('Old but open');
    expect(tackFail(dir, 'restore', 'tk-nosuchid').error.code).toBe('not_found');
  });
});

describe('archive and restore in an inline store', () => {
  it('moves the checked-out file and the index follows both ways', () => {
    const { dir, a } = inlineSetup();
    later(dir, 'archive', '--done-before', '30d');
    expect(existsSync(join(dir, '.tack', 'archive', `${a}.md`))).toBe(true);
    expect(existsSync(join(dir, '.tack', 'tickets', `${a}.md`))).toBe(false);
    expect(ids(later(dir, 'list', '--archived'))).toEqual([a]);
    expect(later(dir, 'restore', a).from).toBe('archive');
    expect(existsSync(join(dir, '.tack', 'archive', `${a}.md`))).toBe(false);
    expect(ids(later(dir, 'list', '--all'))).toEqual([a]);
    expect(later(dir, 'list', '--archived')).toEqual([]);
  });
});
