import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, tack, tackJson, tackRaw, tempRepo } from './helpers.js';
import { commitToStore, tackEnv, tackEnvJson } from './storeFiles.js';

const DAY1 = { TACK_NOW: '2026-01-01T10:00:00Z' };
const DAY2 = {
  TACK_NOW: '2026-01-02T10:00:00Z',
  GIT_AUTHOR_NAME: 'Alice Example',
  GIT_AUTHOR_EMAIL: 'alice@example.com',
};
const DAY20 = { TACK_NOW: '2026-01-20T10:00:00Z' };

let repo: { dir: string; cleanup: () => void };
const t: Record<string, string> = {};
const create = (key: string, env: Record<string, string>, ...args: string[]) => {
  t[key] = tackEnvJson(repo.dir, env, 'create', ...args).id;
};

beforeAll(() => {
  repo = tempRepo();
  tackEnv(repo.dir, DAY1, 'init');
  create('epic', DAY1, 'Release 1.0', '-t', 'epic', '-p', 'high');
  create('a', DAY1, 'Write parser', '--parent', t.epic, '-p', 'high', '-a', 'alice', '--project', 'core');
  create('b', DAY1, 'Write lexer', '--parent', t.epic, '-a', 'bob', '--project', 'core');
  create('c', DAY1, 'Write docs', '--parent', t.epic, '-t', 'bug');
  create('d', DAY1, 'Drop old CLI', '--parent', t.epic);
  create('loose', DAY1, 'Unrelated idea', '-s', 'backlog', '-p', 'low');
  tackEnv(repo.dir, DAY2, 'update', t.a, '-s', 'in-progress');
  tackEnv(repo.dir, DAY2, 'comment', t.a, 'Started on the grammar');
  tackEnv(repo.dir, DAY20, 'close', t.b, '-r', 'merged');
  tackEnv(repo.dir, DAY20, 'close', t.c);
  tackEnv(repo.dir, DAY20, 'close', t.d, '--cancel', '-r', 'not needed');
});
afterAll(() => repo.cleanup());

describe('tack log', () => {
  it("lists a ticket's field changes with commit, author and time, oldest first", () => {
    const log = tackJson(repo.dir, 'log', t.a);
    expect(log.ticket).toMatchObject({ id: t.a, title: 'Write parser', status: 'in-progress' });
    const commits = git(repo.dir, 'log', '--format=%H', 'tack').split('\n');
    const first = log.changes.filter((c: any) => c.op === 'create');
    expect(first.map((c: any) => c.field)).toEqual(
      expect.arrayContaining(['title', 'status', 'priority', 'assignee', 'parent', 'project']),
    );
    expect(first[0]).toMatchObject({ author: 'Test User', time: '2026-01-01T10:00:00+00:00' });
    const status = log.changes.find((c: any) => c.field === 'status' && c.op === 'update');
    expect(status).toMatchObject({
      old: 'todo',
      new: 'in-progress',
      author: 'Alice Example',
      time: '2026-01-02T10:00:00+00:00',
    });
    expect(commits).toContain(status.commit);
    expect(git(repo.dir, 'show', '-s', '--format=%an %s', status.commit)).toBe(`Alice Example update ${t.a}: status`);
    const comment = log.changes[log.changes.length - 1];
    expect(comment).toMatchObject({ field: 'comment', op: 'comment', old: null });
    expect(comment.new).toContain('Started on the grammar');
  });

  it('--limit keeps the latest changes', () => {
    const log = tackJson(repo.dir, 'log', t.a, '-n', '2');
    expect(log.changes.map((c: any) => c.field)).toEqual(['status', 'comment']);
  });

  it("without an id: the store's commits, newest first", () => {
    const log = tackJson(repo.dir, 'log');
    const subjects = git(repo.dir, 'log', '--format=%s', 'tack').split('\n');
    expect(log.commits.map((c: any) => c.subject)).toEqual(subjects);
    expect(log.commits[0]).toMatchObject({
      op: 'close',
      tickets: [t.d],
      author: 'Test User',
      time: '2026-01-20T10:00:00+00:00',
    });
    expect(Object.keys(log.commits[0]).sort()).toEqual([
      'author',
      'email',
      'op',
      'parents',
      'provenance',
      'sha',
      'subject',
      'ticket_count',
      'tickets',
      'time',
    ]);
    expect(log.commits.map((c: any) => `[${c.parents.join(' ')}]`)).toEqual(
      git(repo.dir, 'log', '--format=[%P]', 'tack').split('\n'),
    );
    expect(tackJson(repo.dir, 'log', '--limit', '3').commits).toHaveLength(3);
    const human = tack(repo.dir, 'log', '-n', '1');
    expect(human).toMatch(new RegExp(`^[0-9a-f]{8}  2026-01-20 10:00  Test User  close ${t.d}: not needed\\n$`));
  });

  it('keeps the story of a deleted ticket readable', () => {
    const r = tempRepo();
    try {
      tack(r.dir, 'init');
      const id = tackJson(r.dir, 'create', 'Doomed').id;
      commitToStore(r.dir, { [`tickets/${id}.md`]: null }, 'remove by hand');
      const log = tackJson(r.dir, 'log', id.slice(0, 7));
      expect(log.ticket).toMatchObject({ id, title: 'Doomed', status: null });
      expect(log.changes[log.changes.length - 1]).toMatchObject({
        field: 'deleted',
        op: null,
        subject: 'remove by hand',
      });
      expect(tack(r.dir, 'log', id)).toContain('(deleted)');
    } finally {
      r.cleanup();
    }
  });
});

describe('tack recent', () => {
  it('shows the latest commits with the tickets and fields they touched', () => {
    const out = tackEnvJson(repo.dir, DAY20, 'recent', '-n', '5');
    expect(out.commits.map((c: any) => c.op)).toEqual(['close', 'close', 'close', 'comment', 'update']);
    expect(out.commits[0].tickets).toEqual([
      expect.objectContaining({ id: t.d, status: 'canceled', fields: ['status', 'resolution'] }),
    ]);
    expect(out.commits[3].tickets).toEqual([expect.objectContaining({ id: t.a, fields: ['comment'] })]);
    expect(out.commits[4]).toMatchObject({ author: 'Alice Example', email: 'alice@example.com', docs: [] });
    expect(out.commits[4].tickets).toEqual([
      {
        id: t.a,
        short_id: expect.stringMatching(/^tk-/),
        title: 'Write parser',
        status: 'in-progress',
        category: 'started',
        fields: ['status'],
      },
    ]);
    expect(out.uncommitted).toEqual([]);
  });

  it('--author picks one person, by name or email, case-insensitively', () => {
    const out = tackJson(repo.dir, 'recent', '--author', 'ALICE');
    expect(out.commits.map((c: any) => c.subject)).toEqual([`comment on ${t.a}`, `update ${t.a}: status`]);
    expect(tackJson(repo.dir, 'recent', '--author', 'alice@example').commits).toHaveLength(2);
    expect(tackJson(repo.dir, 'recent', '--author', 'nobody').commits).toEqual([]);
  });

  it('--since takes a duration back from now (TACK_NOW) or a date', () => {
    const week = tackEnvJson(repo.dir, { TACK_NOW: '2026-01-21T00:00:00Z' }, 'recent', '--since', '7d');
    expect(week.since).toBe('2026-01-14T00:00:00Z');
    expect(week.commits.map((c: any) => c.op)).toEqual(['close', 'close', 'close']);
    const created = tackJson(repo.dir, 'recent', '--since', '2026-01-01', '-n', '50');
    expect(created.commits.filter((c: any) => c.op === 'create').map((c: any) => c.tickets[0].fields)).toEqual(
      Array(6).fill(['created']),
    );
    const r = tackRaw(repo.dir, ['recent', '--since', 'lately', '--json']);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stderr).error.message).toContain('expected a duration like 30m, 12h, 7d, 2w');
  });

  it('lists the first 20 tickets of a commit unless asked for more (recent and log), and says how many it touched', () => {
    const r = tempRepo();
    try {
      tack(r.dir, 'init');
      const lines = Array.from({ length: 25 }, (_, i) =>
        JSON.stringify({ id: `bd-${i}`, title: `one of many ${i}`, status: 'open' }),
      );
      writeFileSync(join(r.dir, 'issues.jsonl'), `${lines.join('\n')}\n`);
      tackJson(r.dir, 'import', 'beads', 'issues.jsonl');
      const [c] = tackJson(r.dir, 'recent', '-n', '1').commits;
      expect(c.ticket_count).toBe(25);
      expect(c.tickets).toHaveLength(20);
      const ids = c.tickets.map((t: { id: string }) => t.id);
      expect(ids).toEqual([...ids].sort());
      const [all] = tackJson(r.dir, 'recent', '-n', '1', '--tickets', '0').commits;
      expect(all.tickets).toHaveLength(25);
      expect(all.tickets.slice(0, 20)).toEqual(c.tickets);
      expect(tack(r.dir, 'recent', '-n', '1')).toContain('… 5 more tickets (--tickets 0 for all)');
      // The log of commits names them the same way.
      const [logged] = tackJson(r.dir, 'log', '-n', '1').commits;
      expect(logged).toMatchObject({ sha: c.sha, ticket_count: 25, tickets: ids });
      expect(tackJson(r.dir, 'log', '-n', '1', '--tickets', '0').commits[0].tickets).toHaveLength(25);
    } finally {
      r.cleanup();
    }
  });

  it('reads well for people', () => {
    const human = tackEnv(repo.dir, DAY20, 'recent', '-n', '1');
    expect(human).toContain(`2026-01-20 10:00  Test User`);
    expect(human).toMatch(/tk-\w+ +canceled {2}Drop old CLI \(status, resolution\)/);
  });
});

describe('tack stats', () => {
  it('counts by category, status, priority, type, project and assignee', () => {
    const s = tackJson(repo.dir, 'stats');
    expect(s).toMatchObject({ total: 6, open: 3, closed: 3 });
    expect(s.by_category).toEqual([
      { category: 'triage', count: 0 },
      { category: 'backlog', count: 1 },
      { category: 'unstarted', count: 1 },
      { category: 'started', count: 1 },
      { category: 'completed', count: 2 },
      { category: 'canceled', count: 1 },
    ]);
    expect(s.by_status.find((r: any) => r.status === 'done')).toEqual({
      status: 'done',
      category: 'completed',
      count: 2,
    });
    expect(s.by_priority.find((r: any) => r.priority === 'high')).toEqual({ priority: 'high', open: 2, total: 2 });
    expect(s.by_priority.find((r: any) => r.priority === 'urgent')).toEqual({ priority: 'urgent', open: 0, total: 0 });
    expect(s.by_type.find((r: any) => r.type === 'bug')).toEqual({ type: 'bug', open: 0, total: 1 });
    expect(s.by_project).toEqual([
      { project: null, open: 2, total: 4 },
      { project: 'core', open: 1, total: 2 },
    ]);
    expect(s.by_assignee).toEqual([
      { assignee: null, open: 2, total: 4 },
      { assignee: 'alice', open: 1, total: 1 },
      { assignee: 'bob', open: 0, total: 1 },
    ]);
  });

  it('reports epic progress: canceled children leave the total', () => {
    const s = tackJson(repo.dir, 'stats');
    expect(s.epics).toEqual([
      expect.objectContaining({
        id: t.epic,
        children: 4,
        completed: 2,
        canceled: 1,
        started: 1,
        total: 3,
        percent: 67,
      }),
    ]);
    const human = tack(repo.dir, 'stats');
    expect(human).toContain('6 tickets: 3 open, 3 closed');
    expect(human).toMatch(/67% {2}Release 1\.0 \(2\/3 done, 1 canceled, 1 started\)/);
  });

  it('lists the largest projects and assignees and the first epics, counts them all, and --limit 0 lists all', () => {
    const s = tackJson(repo.dir, 'stats', '--limit', '1');
    expect(s).toMatchObject({ total: 6, projects_total: 2, assignees_total: 3, epics_total: 1 });
    expect(s.by_project).toEqual([{ project: null, open: 2, total: 4 }]);
    expect(s.by_assignee).toEqual([{ assignee: null, open: 2, total: 4 }]);
    expect(s.epics).toHaveLength(1);
    expect(tack(repo.dir, 'stats', '--limit', '1')).toContain('1 more projects, 2 more assignees: all with --limit 0');
    const all = tackJson(repo.dir, 'stats', '--limit', '0');
    expect(all.by_assignee).toHaveLength(3);
    expect(tack(repo.dir, 'stats')).not.toContain('more');
    const actors = tackJson(repo.dir, 'stats', '--by', 'actor', '--limit', '1');
    expect(actors.actors).toHaveLength(1);
    expect(actors.actors_total).toBeGreaterThanOrEqual(1);
  });

  it('lists closed epics only with --all', () => {
    tackEnv(repo.dir, DAY20, 'close', t.a);
    tackEnv(repo.dir, DAY20, 'close', t.epic);
    try {
      expect(tackJson(repo.dir, 'stats').epics).toEqual([]);
      expect(tackJson(repo.dir, 'stats', '--all').epics[0]).toMatchObject({ id: t.epic, percent: 100 });
    } finally {
      tackEnv(repo.dir, DAY20, 'reopen', t.a, '--status', 'in-progress');
      tackEnv(repo.dir, DAY20, 'reopen', t.epic);
    }
  });
});

describe('tack stale', () => {
  it('lists open work idle for more than N days, oldest first', () => {
    const r = tempRepo();
    try {
      const at = (iso: string) => ({ TACK_NOW: iso });
      tackEnv(r.dir, at('2025-12-01T00:00:00Z'), 'init');
      const finished = tackEnvJson(r.dir, at('2025-12-01T00:00:00Z'), 'create', 'Finished').id;
      tackEnv(r.dir, at('2025-12-02T00:00:00Z'), 'close', finished);
      const oldest = tackEnvJson(r.dir, at('2026-01-01T00:00:00Z'), 'create', 'Oldest').id;
      const touched = tackEnvJson(r.dir, at('2026-01-02T00:00:00Z'), 'create', 'Touched lately').id;
      tackEnvJson(r.dir, at('2026-01-05T00:00:00Z'), 'create', 'Older');
      tackEnv(r.dir, at('2026-01-25T00:00:00Z'), 'update', touched, '-p', 'high');
      const now = at('2026-02-01T00:00:00Z');
      const stale = tackEnvJson<any[]>(r.dir, now, 'stale');
      expect(stale.map((x) => x.title)).toEqual(['Oldest', 'Older']);
      expect(stale.map((x) => x.idle_days)).toEqual([31, 27]);
      expect(stale[0]).toMatchObject({ id: oldest, status: 'todo', updated: '2026-01-01T00:00:00Z' });
      expect(tackEnvJson<any[]>(r.dir, now, 'stale', '--days', '28').map((x) => x.title)).toEqual(['Oldest']);
      expect(tackEnvJson<any[]>(r.dir, now, 'stale', '--days', '6').map((x) => x.title)).toEqual([
        'Oldest',
        'Older',
        'Touched lately',
      ]);
      expect(tackEnvJson<any[]>(r.dir, now, 'stale', '--days', '40')).toEqual([]);
      expect(tackEnv(r.dir, now, 'stale')).toMatch(/^31d tk-\w+ +todo +Oldest\n27d tk-\w+ +todo +Older\n$/);
      // --at: idle time counts up to that commit, not to today
      expect(tackEnvJson<any[]>(r.dir, now, 'stale', '--at', 'tack~1', '--days', '2').map((x) => x.title)).toEqual([
        'Oldest',
        'Touched lately',
      ]);
    } finally {
      r.cleanup();
    }
  });
});
