import { describe, expect, it } from 'vitest';
import { git, revParse, tack, tackFail, tackJson, tackRaw, tempRepo, tempStore, trackCleanups } from './helpers.js';

/*
 * The everyday flows, end to end through the built CLI, each in its own temp repo.
 * Assertions read the real state: the tack ref, the ticket files in git, --json output.
 */

const track = trackCleanups();
function store(): string {
  const r = tempStore();
  track(r.cleanup);
  return r.dir;
}

/** --json output of a command run at a fixed time (TACK_NOW). */
function at(dir: string, now: string, ...args: string[]): any {
  const r = tackRaw(dir, [...args, '--json'], { TACK_NOW: now });
  if (r.status !== 0) throw new Error(`tack ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Fixture tickets in one `tack batch` commit; returns the ids of the items' refs. */
function batch(dir: string, items: object[]): Record<string, string> {
  const r = tackRaw(dir, ['batch', '-', '--json'], {}, JSON.stringify(items));
  if (r.status !== 0) throw new Error(`tack batch exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout).refs;
}

function fileAt(dir: string, id: string, rev = 'tack'): string {
  return git(dir, 'show', `${rev}:tickets/${id}.md`);
}

function trailers(dir: string, rev = 'tack'): string {
  return git(dir, 'log', '-1', '--format=%(trailers)', rev);
}

function changedPaths(dir: string, rev = 'tack'): string[] {
  return git(dir, 'diff-tree', '--no-commit-id', '--name-only', '-r', rev).split('\n').filter(Boolean);
}

const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);

describe('init', () => {
  it('creates the tack branch with the default schema, leaving HEAD alone', () => {
    const r = tempRepo();
    track(r.cleanup);
    const head = revParse(r.dir, 'HEAD');
    const out = tackJson(r.dir, 'init');
    expect(out).toMatchObject({ created: true, mode: 'branch', ref: 'refs/heads/tack' });
    expect(revParse(r.dir, 'refs/heads/tack')).toBe(out.commit);
    expect(revParse(r.dir, 'HEAD')).toBe(head);
    expect(git(r.dir, 'show', 'tack:schema.yaml')).toContain('id_prefix: tk');
    expect(git(r.dir, 'ls-tree', '-r', '--name-only', 'tack').split('\n')).toContain('tickets/.gitkeep');
    expect(trailers(r.dir)).toContain('Tack-Op: init');
    expect(git(r.dir, 'status', '--porcelain')).toBe('');
  });
});

describe('create', () => {
  it('with --type/--priority/--label writes one commit with the ticket file', () => {
    const dir = store();
    const before = revParse(dir, 'tack');
    const t = tackJson(
      dir,
      'create',
      'Parser drops trailing comments',
      '--type',
      'bug',
      '--priority',
      'high',
      '--label',
      'parser',
      '-l',
      'regression',
      '-d',
      'The parser drops `// trailing` comments. #regression',
    );
    expect(t.id).toMatch(/^tk-[0-9a-z]{8}$/);
    expect(t).toMatchObject({
      title: 'Parser drops trailing comments',
      type: 'bug',
      priority: 'high',
      status: 'todo',
      category: 'unstarted',
      labels: ['parser', 'regression'],
      assignee: null,
      parent: null,
    });
    expect(revParse(dir, 'tack')).toBe(t.commit);
    expect(revParse(dir, 'tack~1')).toBe(before);
    const file = fileAt(dir, t.id);
    expect(file).toMatch(
      new RegExp(
        `^---\\nid: ${t.id}\\ntitle: Parser drops trailing comments\\ntype: bug\\nstatus: todo\\npriority: high\\nlabels: \\[parser, regression\\]\\n`,
      ),
    );
    expect(file.endsWith('\n---\nThe parser drops `// trailing` comments. #regression')).toBe(true);
    expect(changedPaths(dir)).toEqual([`tickets/${t.id}.md`]);
    const tr = trailers(dir);
    expect(tr).toContain('Tack-Op: create');
    expect(tr).toContain(`Tack-Ticket: ${t.id}`);
  });
});

describe('ready and blocked', () => {
  it("ready = backlog/unstarted, no open blocker, not someone else's; by priority then age", () => {
    const dir = store();
    const T = (n: number) => `2026-01-01T00:00:${String(n).padStart(2, '0')}Z`;
    const mk = (n: number, title: string, ...opts: string[]) => at(dir, T(n), 'create', title, ...opts).id as string;
    const newerHigh = mk(5, 'high newer', '-p', 'high');
    const olderHigh = mk(3, 'high older', '-p', 'high');
    const started = mk(1, 'urgent but started', '-p', 'urgent', '-s', 'in-progress');
    const inReview = mk(1, 'in review', '-p', 'urgent', '-s', 'in-review');
    const low = mk(1, 'low blocker', '-p', 'low');
    const none = mk(0, 'no priority');
    const backlog = mk(6, 'in backlog', '-p', 'medium', '-s', 'backlog');
    const triage = mk(1, 'in triage', '-p', 'urgent', '-s', 'triage');
    const others = mk(1, 'alice owns it', '-p', 'high', '-a', 'alice');
    const mine = mk(7, 'mine', '-p', 'medium', '-a', 'tester');
    const blocked = mk(0, 'urgent but blocked', '-p', 'urgent');
    tack(dir, 'link', low, 'blocks', blocked);

    expect(ids(tackJson(dir, 'ready'))).toEqual([olderHigh, newerHigh, backlog, mine, low, none]);
    expect(ids(tackJson(dir, 'ready', '--unassigned'))).toEqual([olderHigh, newerHigh, backlog, low, none]);
    const b = tackJson(dir, 'blocked');
    expect(b.map((x: any) => [x.id, x.blocked_by])).toEqual([[blocked, [low]]]);
    for (const excluded of [started, inReview, triage, others, blocked])
      expect(ids(tackJson(dir, 'ready'))).not.toContain(excluded);

    // closing the blocker makes the blocked ticket ready (and first: urgent)
    tack(dir, 'close', low, '--reason', 'fixed');
    expect(ids(tackJson(dir, 'ready'))).toEqual([blocked, olderHigh, newerHigh, backlog, mine, none]);
    expect(tackJson(dir, 'blocked')).toEqual([]);
    // reopening it blocks again
    tack(dir, 'reopen', low);
    expect(ids(tackJson(dir, 'ready'))).not.toContain(blocked);
    expect(ids(tackJson(dir, 'blocked'))).toEqual([blocked]);
  });

  it('a canceled blocker does not block; starting a ticket takes it out of ready', () => {
    const dir = store();
    const a = tackJson(dir, 'create', 'A').id;
    const b = tackJson(dir, 'create', 'B').id;
    tack(dir, 'link', b, 'blocked-by', a); // stored as "a blocks b"
    expect(git(dir, 'show', `tack:tickets/${a}.md`)).toContain(`blocks: [${b}]`);
    expect(ids(tackJson(dir, 'ready'))).toEqual([a]);
    tack(dir, 'close', a, '--cancel');
    expect(tackJson(dir, 'show', a).category).toBe('canceled');
    expect(ids(tackJson(dir, 'ready'))).toEqual([b]);
    tack(dir, 'update', b, '--status', 'in-progress');
    expect(tackJson(dir, 'ready')).toEqual([]);
  });
});

describe('list filters', () => {
  it('--status, --label, --all, --limit', () => {
    const dir = store();
    const { a, b, c, d } = batch(dir, [
      { op: 'create', ref: 'a', title: 'alpha', label: ['x', 'y'] },
      { op: 'create', ref: 'b', title: 'beta', label: ['x'], status: 'in-progress' },
      { op: 'create', ref: 'c', title: 'gamma', label: ['y'] },
      { op: 'create', ref: 'd', title: 'delta', label: ['x'] },
      { op: 'close', id: '@d' },
    ]);
    const sorted = (xs: string[]) => [...xs].sort();

    expect(sorted(ids(tackJson(dir, 'list')))).toEqual(sorted([a, b, c]));
    expect(ids(tackJson(dir, 'list'))[0]).toBe(b); // started work first
    expect(sorted(ids(tackJson(dir, 'list', '--all')))).toEqual(sorted([a, b, c, d]));
    expect(ids(tackJson(dir, 'list', '--status', 'done'))).toEqual([d]);
    expect(sorted(ids(tackJson(dir, 'list', '-s', 'todo', '-s', 'in-progress')))).toEqual(sorted([a, b, c]));
    expect(sorted(ids(tackJson(dir, 'list', '--label', 'x')))).toEqual(sorted([a, b]));
    expect(sorted(ids(tackJson(dir, 'list', '--label', 'x', '--all')))).toEqual(sorted([a, b, d]));
    expect(ids(tackJson(dir, 'list', '--label', 'x', '--label', 'y'))).toEqual([a]);
    expect(tackJson(dir, 'list', '--all', '--limit', '2')).toHaveLength(2);
    expect(tackJson(dir, 'list', '--label', 'nope')).toEqual([]);
  });
});

describe('show', () => {
  it('--json has description, comments and relations in both directions', () => {
    const dir = store();
    const parent = tackJson(dir, 'create', 'Epic', '-t', 'epic').id;
    const child = tackJson(
      dir,
      'create',
      'Child',
      '--parent',
      parent,
      '-d',
      `Child body with #tag and +${parent}`,
      '--link',
      'docs/specs/child.md',
    ).id;
    const { blocker, rel, dup } = batch(dir, [
      { op: 'create', ref: 'blocker', title: 'Blocker', blocks: [child] },
      { op: 'create', ref: 'rel', title: 'Related' },
      { op: 'create', ref: 'dup', title: 'Dup' },
      { op: 'link', id: child, kind: 'related', target: '@rel' },
      { op: 'link', id: '@dup', kind: 'duplicates', target: child },
      { op: 'comment', id: child, text: 'First comment' },
    ]);

    const s = tackJson(dir, 'show', child);
    expect(s).toMatchObject({
      id: child,
      title: 'Child',
      parent,
      description: `Child body with #tag and +${parent}\n`,
      blocks: [],
      blocked_by: [blocker],
      children: [],
      related: [rel],
      duplicates: [],
      duplicated_by: [dup],
      links: ['docs/specs/child.md'],
      tags: ['tag'],
    });
    expect(s.comments).toHaveLength(1);
    expect(s.comments[0]).toMatchObject({ author: 'tester', body: 'First comment' });
    expect(s.comments[0].id).toMatch(/^c-[0-9a-z]{6}$/);

    expect(tackJson(dir, 'show', parent)).toMatchObject({ children: [child], backlinks: [child] });
    expect(tackJson(dir, 'show', blocker)).toMatchObject({ blocks: [child], blocked_by: [] });
    expect(tackJson(dir, 'show', rel).related).toEqual([child]);
    expect(tackJson(dir, 'show', dup).duplicates).toEqual([child]);
  });
});

describe('update, comment, close, reopen', () => {
  it('each is one commit that changes the ticket file', () => {
    const dir = store();
    const p = tackJson(dir, 'create', 'Parent').id;
    const t = tackJson(dir, 'create', 'Work').id;
    const count = () => Number(git(dir, 'rev-list', '--count', 'tack'));
    const n0 = count();

    const u = tackJson(dir, 'update', t, '--status', 'in-progress', '--assignee', 'bob', '--parent', p);
    expect(u).toMatchObject({ id: t, status: 'in-progress', category: 'started', assignee: 'bob', parent: p });
    expect(count()).toBe(n0 + 1);
    expect(changedPaths(dir)).toEqual([`tickets/${t}.md`]);
    let f = fileAt(dir, t);
    expect(f).toContain('status: in-progress\n');
    expect(f).toContain('assignee: bob\n');
    expect(f).toContain(`parent: ${p}\n`);
    expect(trailers(dir)).toContain('Tack-Op: update');

    tack(dir, 'update', t, '--assignee', 'none', '--parent', 'none');
    f = fileAt(dir, t);
    expect(f).not.toContain('assignee:');
    expect(f).not.toContain('parent:');
    expect(tackJson(dir, 'show', p).children).toEqual([]);

    const c = tackJson(dir, 'comment', t, 'Looks good to me');
    expect(c.comment).toMatchObject({ author: 'tester', text: 'Looks good to me' });
    expect(count()).toBe(n0 + 3);
    expect(fileAt(dir, t)).toContain(
      `## Comments\n\n<!-- comment id="${c.comment.id}" author="tester" created="${c.comment.created}" -->\n**tester** · `,
    );
    expect(trailers(dir)).toContain('Tack-Op: comment');

    const closed = tackJson(dir, 'close', t, '--reason', 'shipped in v2');
    expect(closed.tickets[0]).toMatchObject({
      id: t,
      status: 'done',
      category: 'completed',
      resolution: 'shipped in v2',
    });
    f = fileAt(dir, t);
    expect(f).toContain('status: done\n');
    expect(f).toContain('resolution: shipped in v2\n');
    expect(ids(tackJson(dir, 'list'))).not.toContain(t);

    const re = tackJson(dir, 'reopen', t);
    expect(re.tickets[0]).toMatchObject({ id: t, status: 'todo', category: 'unstarted', resolution: null });
    expect(fileAt(dir, t)).not.toContain('resolution:');
    expect(count()).toBe(n0 + 5);
    // the comment survived every later write
    expect(tackJson(dir, 'show', t).comments.map((x: any) => x.body)).toEqual(['Looks good to me']);
  });
});

describe('search', () => {
  it('ranks a title match above a body match and returns snippets', () => {
    const dir = store();
    const body = tackJson(
      dir,
      'create',
      'Something else entirely',
      '-d',
      'Long text. Somewhere in here a zebra crossing is mentioned, once.',
    ).id;
    const title = tackJson(dir, 'create', 'Zebra crossing lights are broken', '-d', 'The lights do not work.').id;
    tackJson(dir, 'create', 'Unrelated', '-d', 'nothing to see');
    const hits = tackJson(dir, 'search', 'zebra');
    expect(ids(hits)).toEqual([title, body]);
    expect(hits[0].snippet).toMatch(/\[Zebra\]/);
    expect(hits[1].snippet).toMatch(/\[zebra\]/);
    expect(hits[0].score).toBeGreaterThan(hits[1].score);
    // comments are searched too
    tack(dir, 'comment', body, 'a flamingo appeared');
    expect(ids(tackJson(dir, 'search', 'flamingo'))).toEqual([body]);
    expect(tackJson(dir, 'search', 'nonexistentword')).toEqual([]);
  });
});

describe('labels and links', () => {
  it('label add/rm and unlink change the file and the index', () => {
    const dir = store();
    const a = tackJson(dir, 'create', 'A', '-l', 'keep').id;
    const b = tackJson(dir, 'create', 'B').id;
    tack(dir, 'label', 'add', a, 'one', 'two');
    expect(fileAt(dir, a)).toContain('labels: [keep, one, two]');
    expect(tackJson(dir, 'show', a).labels).toEqual(['keep', 'one', 'two']);
    tack(dir, 'label', 'rm', a, 'one', 'keep');
    expect(fileAt(dir, a)).toContain('labels: [two]');
    expect(tackJson(dir, 'list', '--label', 'one')).toEqual([]);

    tack(dir, 'link', a, 'blocks', b);
    expect(tackJson(dir, 'show', b).blocked_by).toEqual([a]);
    tack(dir, 'unlink', a, 'blocks', b);
    expect(fileAt(dir, a)).not.toContain('blocks:');
    expect(tackJson(dir, 'show', b).blocked_by).toEqual([]);
    expect(trailers(dir)).toContain('Tack-Op: unlink');
  });
});

describe('--json shapes', () => {
  it('a ticket has the stable keys', () => {
    const dir = store();
    const t = tackJson(dir, 'create', 'Shape', '-l', 'a');
    for (const row of [t, tackJson(dir, 'list')[0], tackJson(dir, 'show', t.id), tackJson(dir, 'ready')[0]]) {
      for (const k of [
        'id',
        'title',
        'type',
        'status',
        'category',
        'priority',
        'labels',
        'assignee',
        'parent',
        'created',
        'updated',
      ]) {
        expect(row, `key ${k}`).toHaveProperty(k);
      }
      expect(row.id).toBe(t.id);
      expect(row.labels).toEqual(['a']);
      expect(row.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
  });

  it('errors are {"error":{code,message}} on stderr with a non-zero exit', () => {
    const dir = store();
    const a = tackJson(dir, 'create', 'One').id;
    tackJson(dir, 'create', 'Two');

    const status = tackFail(dir, 'update', a, '--status', 'nonsense');
    expect(status.status).not.toBe(0);
    expect(status.stdout).toBe('');
    expect(status.error.code).toBe('invalid_input');
    expect(status.error.message).toContain('"nonsense"');
    expect(status.error.message).toContain(
      'triage, backlog, todo, needs-context, in-progress, in-review, done, canceled',
    );

    const listStatus = tackFail(dir, 'list', '--status', 'open');
    expect(listStatus.error.code).toBe('invalid_input');
    expect(listStatus.error.message).toContain('expected one of: triage, backlog, todo');

    const missing = tackFail(dir, 'show', 'tk-zzzzzzzz');
    expect(missing.error.code).toBe('not_found');
    expect(missing.error.message).toContain('tk-zzzzzzzz');

    const ambiguous = tackFail(dir, 'show', 'tk-');
    expect(ambiguous.error.code).toBe('ambiguous_id');

    // a unique prefix works
    expect(tackJson(dir, 'show', a.slice(0, 9)).id).toBe(a);

    const unknown = tackFail(dir, 'frobnicate');
    expect(unknown.error.code).toBe('unknown_command');

    // without --json the error is one readable line on stderr
    const human = tackRaw(dir, ['show', 'tk-zzzzzzzz']);
    expect(human.status).not.toBe(0);
    expect(human.stderr).toMatch(/^tack: .*tk-zzzzzzzz/);
  });
});

describe('delete', () => {
  it('removes tickets in one commit, refuses while others point at them, and --force drops those references', () => {
    const dir = store();
    const parent = tackJson(dir, 'create', 'Epic').id as string;
    const child = tackJson(dir, 'create', 'Child', '--parent', parent).id as string;
    const before = revParse(dir, 'tack');
    const refused = tackRaw(dir, ['delete', parent, '--json']);
    expect(refused.status).not.toBe(0);
    expect(JSON.parse(refused.stderr.trim()).error).toMatchObject({
      code: 'conflict',
      details: { referrers: [{ id: child, field: 'parent', target: parent }] },
    });
    expect(revParse(dir, 'tack')).toBe(before);
    const out = tackJson(dir, 'delete', parent, '--force');
    expect(out).toMatchObject({ deleted: [parent], updated: [child] });
    expect(git(dir, 'rev-list', '--count', `${before}..tack`)).toBe('1');
    expect(git(dir, 'ls-tree', '--name-only', 'tack', 'tickets/')).not.toContain(parent);
    expect(tackJson(dir, 'show', child).parent).toBeNull();
    expect(tackRaw(dir, ['show', parent]).status).toBe(3);
    // Git keeps every version: the deleted ticket is one `git show` away.
    expect(git(dir, 'show', `${before}:tickets/${parent}.md`)).toContain('title: Epic');
  });
});
