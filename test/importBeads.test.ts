import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, revParse, tackImport, tackJson, tackRaw, tempStore, trackCleanups } from './helpers.js';

/* `tack import beads`: the 704 real issues of beads' own tracker, lossless and idempotent. */

const FIXTURE = resolve(__dirname, 'fixtures/shared/data/beads/issues.jsonl');
const ISSUES = readFileSync(FIXTURE, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
const track = trackCleanups();

function store(): string {
  const r = tempStore();
  track(r.cleanup);
  return r.dir;
}

const importJson = (dir: string, file = FIXTURE, ...more: string[]) => tackImport(dir, 'beads', file, ...more);

/** beads' own rule (bd ready): status open, no `blocks` dependency on an existing issue that is not closed, nor a parent (parent-child, transitively) that has one. */
function beadsReady(issues: any[]): any[] {
  const byId = new Map(issues.map((i) => [i.id, i]));
  const deps = (i: any, type: string) =>
    (i.dependencies ?? [])
      .filter((d: any) => d.type === type)
      .map((d: any) => byId.get(d.depends_on_id))
      .filter(Boolean);
  const blocked = (i: any, seen = new Set<string>()): boolean => {
    if (seen.has(i.id)) return false;
    seen.add(i.id);
    if (deps(i, 'blocks').some((b: any) => b.status !== 'closed')) return true;
    return deps(i, 'parent-child').some((p: any) => blocked(p, seen));
  };
  return issues.filter((i) => i.status === 'open' && !blocked(i));
}

const idOf = (dir: string, alias: string): string => tackJson(dir, 'show', alias).id;

/** Every alias → ticket id, in one query. */
function aliasIds(dir: string): Map<string, string> {
  const rows = tackJson(
    dir,
    'sql',
    "SELECT t.id AS id, a.value AS alias FROM tickets t, json_each(t.fields, '$.aliases') a",
  );
  return new Map(rows.map((r: any) => [r.alias, r.id]));
}

describe('tack import beads', () => {
  let dir = '';
  let first: any;
  let cleanup = () => {};
  beforeAll(() => {
    const r = tempStore();
    ({ dir, cleanup } = r);
    first = importJson(dir);
  });
  afterAll(() => cleanup());

  it('creates one ticket per issue in one commit, widening the schema', () => {
    expect(first).toMatchObject({
      kind: 'beads',
      total: ISSUES.length,
      created: ISSUES.length,
      updated: 0,
      unchanged: 0,
    });
    expect(first.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(git(dir, 'rev-parse', 'tack^')).toBe(git(dir, 'rev-parse', 'tack~1'));
    expect(git(dir, 'log', '--format=%s', '-1', 'tack')).toContain(`${ISSUES.length} created`);
    expect(
      git(dir, 'ls-tree', '--name-only', 'tack', 'tickets/')
        .split('\n')
        .filter((p) => p.endsWith('.md')),
    ).toHaveLength(ISSUES.length);
    const types = new Set(ISSUES.map((i) => i.issue_type));
    const schema = tackJson(dir, 'schema');
    for (const t of types) expect(schema.types).toContain(t);
    expect(schema.relations.map((r: any) => r.name)).toEqual(
      expect.arrayContaining(['blocks', 'discovered_from', 'tracks']),
    );
    expect(first.schema).toContain('added state hooked (category started)');
  });

  it('keeps every field of real records: core fields, sections of the body, the rest under beads', () => {
    const src = ISSUES.find((i) => i.id === 'bd-on8');
    const t = tackJson(dir, 'show', 'bd-on8');
    expect(t).toMatchObject({
      title: src.title,
      status: 'done',
      priority: 'high',
      type: 'task',
      assignee: src.assignee,
      resolution: src.close_reason,
      created: src.created_at,
      updated: src.updated_at,
    });
    expect(t.description.startsWith(src.description)).toBe(true);
    expect(t.description).toContain(`## Design\n\n${src.design}`);
    expect(t.description).toContain(`## Notes\n\n${src.notes}`);
    expect(t.extra.beads).toMatchObject({
      owner: src.owner,
      created_by: src.created_by,
      closed_at: src.closed_at,
      dependencies: src.dependencies,
    });
    const labelled = ISSUES.find((i) => i.labels?.length > 1);
    expect(tackJson(dir, 'show', labelled.id).labels.sort()).toEqual([...labelled.labels].sort());
    const p0 = ISSUES.find((i) => i.priority === 0);
    const p4 = ISSUES.find((i) => i.priority === 4);
    expect(tackJson(dir, 'show', p0.id).priority).toBe('urgent');
    expect(tackJson(dir, 'show', p4.id).priority).toBe('none');
    const hooked = ISSUES.find((i) => i.status === 'hooked');
    expect(tackJson(dir, 'show', hooked.id)).toMatchObject({ status: 'hooked', category: 'started' });
    const aliases = tackJson(
      dir,
      'sql',
      `SELECT json_extract(fields, '$.aliases') AS a FROM tickets WHERE id = '${t.id}'`,
    );
    expect(JSON.parse(aliases[0].a)).toEqual(['bd-on8']);
  });

  it('maps dependency kinds: blocks onto the blocker, parent-child to parent, discovered-from and tracks as relations', () => {
    const blocked = ISSUES.find((i) =>
      i.dependencies?.some((d: any) => d.type === 'blocks' && ISSUES.some((j) => j.id === d.depends_on_id)),
    );
    const dep = blocked.dependencies.find(
      (d: any) => d.type === 'blocks' && ISSUES.some((j) => j.id === d.depends_on_id),
    );
    const blocker = tackJson(dir, 'show', dep.depends_on_id);
    expect(blocker.blocks).toContain(idOf(dir, blocked.id));
    const child = ISSUES.find((i) => i.parent && ISSUES.some((j) => j.id === i.parent));
    expect(tackJson(dir, 'show', child.id).parent).toBe(idOf(dir, child.parent));
    const found = ISSUES.find((x) =>
      x.dependencies?.some((d: any) => d.type === 'discovered-from' && ISSUES.some((j) => j.id === d.depends_on_id)),
    );
    const from = found.dependencies.find(
      (x: any) => x.type === 'discovered-from' && ISSUES.some((j) => j.id === x.depends_on_id),
    );
    expect(tackJson(dir, 'show', found.id).relations.discovered_from).toContain(idOf(dir, from.depends_on_id));
    expect(tackJson(dir, 'show', from.depends_on_id).relations.discovered).toContain(idOf(dir, found.id));
    // `tracks` points outside this database (external:gastown:…): kept verbatim and reported, not dropped.
    const tracker = ISSUES.find((x) => x.dependencies?.some((d: any) => d.type === 'tracks'));
    expect(tackJson(dir, 'show', tracker.id).extra.beads.dependencies).toEqual(tracker.dependencies);
    expect(first.warnings).toContain(
      `${tracker.id}: tracks ${tracker.dependencies[0].depends_on_id} is not in the source or the store; left out`,
    );
  });

  it('agrees with beads on what is ready', () => {
    // Containers (epics here) hold work rather than being work: Tack never offers them.
    const containers: string[] = tackJson(dir, 'schema').containers;
    expect(containers).toContain('epic');
    const expected = beadsReady(ISSUES).filter((i) => !containers.includes(i.issue_type));
    expect(expected.length).toBeGreaterThan(10);
    // Tack's ready also leaves out work assigned to someone else: compare the unassigned ones…
    const ready = tackJson(dir, 'ready', '--unassigned', '-n', '5000');
    const ids = aliasIds(dir);
    const want = expected
      .filter((i) => !i.assignee)
      .map((i) => ids.get(i.id))
      .sort();
    expect(ready.map((t: any) => t.id).sort()).toEqual(want);
    // …and each assigned one is ready for its assignee.
    for (const i of expected.filter((x) => x.assignee)) {
      const r = tackRaw(dir, ['ready', '--json', '-n', '5000'], { TACK_USER: i.assignee });
      expect(JSON.parse(r.stdout).map((t: any) => t.id)).toContain(ids.get(i.id));
    }
  });

  it('re-importing unchanged data makes no commit; a changed record is updated in place', () => {
    const head = revParse(dir, 'tack');
    const again = importJson(dir);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: ISSUES.length, commit: null });
    expect(revParse(dir, 'tack')).toBe(head);
    const edited = ISSUES.map((i) =>
      i.id === 'bd-8mg' ? { ...i, status: 'open', labels: ['backup'], updated_at: '2026-03-01T00:00:00Z' } : i,
    );
    const file = join(dir, 'edited.jsonl');
    writeFileSync(file, `${edited.map((i) => JSON.stringify(i)).join('\n')}\n`);
    const third = importJson(dir, file);
    expect(third).toMatchObject({ created: 0, updated: 1, unchanged: ISSUES.length - 1 });
    expect(tackJson(dir, 'show', 'bd-8mg')).toMatchObject({
      status: 'todo',
      labels: ['backup'],
      updated: '2026-03-01T00:00:00Z',
    });
    expect(git(dir, 'diff', '--name-only', `${head}`, 'tack').split('\n')).toEqual([
      `tickets/${idOf(dir, 'bd-8mg')}.md`,
    ]);
  });
});

describe('tack import beads: bad input changes nothing', () => {
  it('a broken line fails the whole import, naming the line', () => {
    const dir = store();
    const head = revParse(dir, 'tack');
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, `${JSON.stringify(ISSUES[0])}\n{not json\n`);
    const r = tackRaw(dir, ['import', 'beads', file, '--json']);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stderr).error).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('line 2'),
    });
    expect(revParse(dir, 'tack')).toBe(head);
  });

  it('--dry-run reports the plan and writes nothing; an unknown kind is refused', () => {
    const dir = store();
    const head = revParse(dir, 'tack');
    const plan = importJson(dir, FIXTURE, '--dry-run');
    expect(plan).toMatchObject({ dry_run: true, created: ISSUES.length, commit: null });
    expect(revParse(dir, 'tack')).toBe(head);
    const r = tackRaw(dir, ['import', 'asana', FIXTURE]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('expected one of: beads');
  });
});
