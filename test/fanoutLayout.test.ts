import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shardOf, ticketPath, type TicketLayout } from '../src/model/ticketPath.js';
import { git, sh, tack, tackFail, tackJson, tempRepo, tempStore, trackCleanups } from './helpers.js';
import { commitToStore, ticketText } from './storeFiles.js';

/* The fan-out layout (tickets/<shard>/<id>.md): every command, O(1) writes, migration, mixed reading. */

const track = trackCleanups();
const T = '2026-11-21T10:00:00Z';

function fanoutStore(): string {
  const r = tempRepo();
  track(r.cleanup);
  tack(r.dir, 'init', '--layout', 'fanout');
  return r.dir;
}

function flatStore(): string {
  const r = tempStore();
  track(r.cleanup);
  return r.dir;
}

/** `n` distinct ids, the same every run. */
function ids(n: number, seed = 7): string[] {
  let x = seed;
  const out = new Set<string>();
  while (out.size < n) {
    let s = '';
    for (let i = 0; i < 8; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      // The high bits: an LCG's low bits cycle short, which put 1,500 ids in 92 shards.
      s += '0123456789abcdefghijklmnopqrstuvwxyz'[Math.floor(x / 65536) % 36];
    }
    out.add(`tk-${s}`);
  }
  return [...out];
}

/** Many files in one hand-made commit of the store branch (one `git add`, not one per file). */
function commitMany(repo: string, files: Record<string, string>, message: string): void {
  const wt = join(mkdtempSync(join(tmpdir(), 'tack-wt-')), 'wt');
  sh(repo, 'git', ['worktree', 'add', '-q', wt, 'tack']);
  try {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(wt, path)), { recursive: true });
      writeFileSync(join(wt, path), content);
    }
    sh(wt, 'git', ['add', '-A']);
    sh(wt, 'git', ['commit', '-q', '-m', message]);
  } finally {
    sh(repo, 'git', ['worktree', 'remove', '--force', wt]);
    rmSync(dirname(wt), { recursive: true, force: true });
  }
}

function ticketFiles(list: string[], layout: TicketLayout): Record<string, string> {
  return Object.fromEntries(
    list.map((id, i) => [
      ticketPath(id, layout),
      ticketText({ id, title: `Ticket ${i}`, status: i % 3 ? 'todo' : 'in-progress', created: T }, `Body ${i}.\n`),
    ]),
  );
}

const treeEntries = (dir: string, rev: string) => git(dir, 'ls-tree', rev).split('\n').filter(Boolean).length;
const newObjects = (dir: string, from: string, to: string) =>
  git(dir, 'rev-list', '--objects', `${from}..${to}`).split('\n').filter(Boolean);

describe('fan-out layout', () => {
  it('every command works on a fan-out store; a write adds O(1) small trees whatever the store size', () => {
    const dir = fanoutStore();
    const many = ids(1500);
    commitMany(dir, ticketFiles(many, 'fanout'), 'hand-made: 1500 tickets');
    tack(dir, 'reindex');
    expect(tackJson(dir, 'list', '--all', '--json', '--limit', '0').tickets ?? []).toBeDefined();

    const a = tackJson(dir, 'create', 'Parser drops comments').id as string;
    expect(git(dir, 'ls-tree', '--name-only', '-r', 'tack', `tickets/${shardOf(a)}/`)).toContain(
      `tickets/${shardOf(a)}/${a}.md`,
    );
    // One write: the commit, the root tree, tickets/, one shard tree, the blob. Nothing else.
    const before = git(dir, 'rev-parse', 'tack');
    tack(dir, 'update', a, '--title', 'Parser drops trailing comments');
    const added = newObjects(dir, before, git(dir, 'rev-parse', 'tack'));
    expect(added.length).toBeLessThanOrEqual(5);
    expect(added.some((l) => l.endsWith(` tickets/${shardOf(a)}/${a}.md`))).toBe(true);
    expect(treeEntries(dir, 'tack:tickets')).toBeLessThanOrEqual(1300);
    expect(treeEntries(dir, `tack:tickets/${shardOf(a)}`)).toBeLessThan(20);

    tack(dir, 'comment', a, 'seen it');
    tack(dir, 'close', a);
    expect(tackJson(dir, 'show', a)).toMatchObject({ id: a, status: 'done', title: 'Parser drops trailing comments' });
    expect(JSON.stringify(tackJson(dir, 'search', 'trailing'))).toContain(a);
    const listed = tackJson(dir, 'list', '--json', '--limit', '0');
    expect(JSON.stringify(listed)).toContain(many[0]);
    tack(dir, 'archive', '--done-before', '2999-01-01');
    expect(git(dir, 'ls-tree', '-r', '--name-only', 'tack', 'archive/')).toContain(`archive/${shardOf(a)}/${a}.md`);
    tack(dir, 'restore', a);
    const tree = git(dir, 'ls-tree', '-r', '--name-only', 'tack');
    expect(tree).toContain(`tickets/${shardOf(a)}/${a}.md`);
    expect(tree).not.toContain(`archive/${shardOf(a)}/${a}.md`);
    tack(dir, 'reindex');
    expect(tackJson(dir, 'show', a).id).toBe(a);
    expect(tackJson(dir, 'doctor').ok).toBe(true);
    expect(tackJson(dir, 'validate', '--all').ok).toBe(true);
    sh(dir, 'git', ['fsck', '--strict', '--no-progress']);
  });

  it('migrates a flat store of 300 tickets and back: the same files, the same list, history followed', () => {
    const dir = flatStore();
    const list = ids(300, 11);
    commitMany(dir, ticketFiles(list, 'flat'), 'hand-made: 300 tickets');
    const listOf = () => tack(dir, 'list', '--json', '--limit', '0');
    const blobsOf = () =>
      git(dir, 'ls-tree', '-r', 'tack', 'tickets/')
        .split('\n')
        .map((l) => `${l.split(/\s+/)[2]} ${l.split('/').pop()}`)
        .sort();
    const first = listOf();
    const blobs = blobsOf();

    const head = git(dir, 'rev-parse', 'tack');
    const dry = tackJson(dir, 'migrate', 'layout', 'fanout', '--dry-run');
    expect(dry).toMatchObject({ dry_run: true, moved: 300, commit: null });
    expect(dry.moves[0].to).toMatch(/^tickets\/[0-9a-z]{2}\/tk-/);
    expect(git(dir, 'rev-parse', 'tack')).toBe(head);

    const done = tackJson(dir, 'migrate', 'layout', 'fanout');
    expect(done).toMatchObject({ moved: 300, layout: 'fanout', was: 'flat' });
    expect(git(dir, 'rev-list', '--count', `${head}..tack`)).toBe('1');
    const paths = git(dir, 'ls-tree', '-r', '--name-only', 'tack', 'tickets/').split('\n');
    expect(paths.filter((p) => /^tickets\/[^/]+\.md$/.test(p))).toEqual([]);
    expect(git(dir, 'show', 'tack:schema.yaml')).toMatch(/^layout: fanout$/m);
    expect(blobsOf()).toEqual(blobs);
    expect(listOf()).toBe(first);
    // git sees renames.
    expect(git(dir, 'show', '--stat', '-M', '--format=', 'tack')).toContain(`tickets/{ => ${shardOf(list[0])}}`);
    expect(tackJson(dir, 'validate', '--all').ok).toBe(true);

    tackJson(dir, 'migrate', 'layout', 'flat');
    expect(git(dir, 'ls-tree', '-r', '--name-only', 'tack', 'tickets/')).not.toMatch(/tickets\/[0-9a-z_]{2}\//);
    expect(blobsOf()).toEqual(blobs);
    expect(listOf()).toBe(first);

    // The ticket's history follows it through both moves and an edit in between.
    tack(dir, 'migrate', 'layout', 'fanout');
    tack(dir, 'update', list[0], '--title', 'Moved and edited');
    const log = git(dir, 'log', '--follow', '--format=%s', 'tack', '--', ticketPath(list[0], 'fanout')).split('\n');
    expect(log).toHaveLength(5);
    expect(log[0]).toBe(`update ${list[0]}: title`);
    expect(log[4]).toBe('hand-made: 300 tickets');
    expect(tackJson(dir, 'migrate', 'layout', 'fanout').message).toContain('nothing to do');
    expect(tackJson(dir, 'doctor').ok).toBe(true);
    sh(dir, 'git', ['fsck', '--strict', '--no-progress']);
  });

  it('refuses to migrate over uncommitted hand edits of ticket files, and moves nothing', () => {
    const r = tempStore({ inline: true });
    track(r.cleanup);
    const id = tackJson(r.dir, 'create', 'Edited by hand').id as string;
    const f = join(r.dir, '.tack', 'tickets', `${id}.md`);
    writeFileSync(f, readFileSync(f, 'utf8').replace('Edited by hand', 'Edited by hand, not committed'));
    const head = git(r.dir, 'rev-parse', 'HEAD');
    const e = tackFail(r.dir, 'migrate', 'layout', 'fanout');
    expect(e.error.code).toBe('conflict');
    expect(e.error.message).toContain(`.tack/tickets/${id}.md`);
    expect(e.error.message).toContain('tack commit');
    expect(git(r.dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(readFileSync(f, 'utf8')).toContain('not committed');
    tack(r.dir, 'commit');
    tackJson(r.dir, 'migrate', 'layout', 'fanout');
    expect(readFileSync(join(r.dir, '.tack', ticketPath(id, 'fanout')), 'utf8')).toContain('not committed');
    expect(tackJson(r.dir, 'show', id).title).toBe('Edited by hand, not committed');
    expect(tackFail(r.dir, 'migrate', 'layout', 'deep').error.message).toMatch(/flat|fanout/);
  });

  it('refuses to migrate under a mount with uncommitted edits; a clean mount follows the moves', () => {
    const dir = flatStore();
    const id = tackJson(dir, 'create', 'Mounted').id as string;
    const mount = tackJson(dir, 'mount').mount as string;
    const f = join(mount, ticketPath(id));
    const clean = readFileSync(f, 'utf8');
    writeFileSync(f, `${clean}More by hand.\n`);
    const head = git(dir, 'rev-parse', 'tack');
    expect(tackFail(dir, 'migrate', 'layout', 'fanout').error.message).toContain(`tickets/${id}.md`);
    expect(git(dir, 'rev-parse', 'tack')).toBe(head);
    writeFileSync(f, clean);
    tack(dir, 'migrate', 'layout', 'fanout');
    expect(readFileSync(join(mount, ticketPath(id, 'fanout')), 'utf8')).toBe(clean);
    expect(git(mount, 'status', '--porcelain')).toBe('');
    expect(tackJson(dir, 'doctor').ok).toBe(true);
  });

  it('reads both layouts at once; misplaced and duplicated files are problems of their own, never a crash', () => {
    const dir = fanoutStore();
    const [flat, fan, dup, wrong] = ids(4, 23);
    const file = (id: string, title: string) => ticketText({ id, title, status: 'todo', created: T }, 'Body.\n');
    commitToStore(
      dir,
      {
        [ticketPath(flat)]: file(flat, 'Still flat'),
        [ticketPath(fan, 'fanout')]: file(fan, 'Fanned out'),
        [ticketPath(dup)]: file(dup, 'Duplicate, flat copy'),
        [ticketPath(dup, 'fanout')]: file(dup, 'Duplicate, fan-out copy'),
        [`tickets/zz/${wrong}.md`]: file(wrong, 'In the wrong shard'),
        [`tickets/${shardOf(fan)}/notes.txt`]: 'not a ticket\n',
        [`tickets/${shardOf(fan)}/deep/x.md`]: file('tk-deep0000', 'Too deep'),
        'tickets/3f/../../x.md': 'outside\n',
      },
      'hand-made: mixed layouts',
    );
    const shown = JSON.stringify(tackJson(dir, 'list', '--json', '--limit', '0'));
    expect(shown).toContain('Still flat');
    expect(shown).toContain('Fanned out');
    expect(shown).toContain('Duplicate, fan-out copy'); // the schema's layout is read
    expect(shown).not.toContain('Duplicate, flat copy');
    expect(shown).not.toContain('In the wrong shard');
    expect(shown).not.toContain('Too deep');
    expect(tackJson(dir, 'show', flat).title).toBe('Still flat');
    expect(tackFail(dir, 'show', wrong).error.code).toBe('not_found');

    const doctor = tackFail(dir, 'doctor').error.details as {
      findings: Array<{ check: string; path?: string; id?: string }>;
    };
    const layout = doctor.findings.filter((f) => f.check === 'layout').map((f) => f.path);
    expect(layout).toEqual(
      expect.arrayContaining([
        `tickets/zz/${wrong}.md`,
        `tickets/${shardOf(fan)}/notes.txt`,
        `tickets/${shardOf(fan)}/deep/x.md`,
      ]),
    );
    expect(doctor.findings.some((f) => f.check === 'layout' && f.id === dup)).toBe(true);
    expect(doctor.findings.filter((f) => f.check === 'duplicate_id')).toEqual([]);

    // A write moves a flat ticket to the schema's layout, in the same commit.
    tack(dir, 'update', flat, '--priority', 'high');
    const tree = git(dir, 'ls-tree', '-r', '--name-only', 'tack', 'tickets/');
    expect(tree).toContain(ticketPath(flat, 'fanout'));
    expect(tree).not.toContain(ticketPath(flat));
    expect(tackJson(dir, 'show', flat)).toMatchObject({ title: 'Still flat', priority: 'high' });
    tack(dir, 'reindex');
    expect(tackJson(dir, 'search', 'Fanned').length ?? 1).toBeTruthy();
    expect(tackFail(dir, 'migrate', 'layout', 'flat').error.message).toContain(`ticket ${dup} is in both layouts`);
  });

  it('merges a plan branch still in the flat layout into a migrated store: each ticket once, both edits kept', () => {
    const dir = flatStore();
    const a = tackJson(dir, 'create', 'Alpha').id as string;
    tack(dir, 'branch', 'create', 'p');
    tack(dir, '--branch', 'p', 'update', a, '--title', 'Alpha on the plan');
    tack(dir, 'migrate', 'layout', 'fanout');
    tack(dir, 'update', a, '--priority', 'high');
    tack(dir, 'branch', 'merge', 'p');
    const tree = git(dir, 'ls-tree', '-r', '--name-only', 'tack', 'tickets/');
    expect(tree).toContain(ticketPath(a, 'fanout'));
    expect(tree).not.toContain(ticketPath(a));
    expect(tackJson(dir, 'show', a)).toMatchObject({ title: 'Alpha on the plan', priority: 'high' });
    expect(tackJson(dir, 'doctor').ok).toBe(true);
  });

  it('merges a migrated plan branch into a store still flat: the edit follows the move', () => {
    const dir = flatStore();
    const a = tackJson(dir, 'create', 'Alpha').id as string;
    tack(dir, 'branch', 'create', 'p');
    tack(dir, '--branch', 'p', 'migrate', 'layout', 'fanout');
    tack(dir, 'update', a, '--title', 'Alpha on main');
    tack(dir, 'branch', 'merge', 'p');
    const tree = git(dir, 'ls-tree', '-r', '--name-only', 'tack', 'tickets/');
    expect(tree).toContain(ticketPath(a, 'fanout'));
    expect(tree).not.toContain(ticketPath(a));
    expect(tackJson(dir, 'show', a).title).toBe('Alpha on main');
    sh(dir, 'git', ['fsck', '--strict', '--no-progress']);
  });
});
