import { describe, expect, it } from 'vitest';
import { git, revParse, storeFixture, tack, tackFail, tackJson, tackRaw } from './helpers.js';

/* `tack sql`: read-only SQL on the index; `--write` turns an UPDATE of tickets into one commit. */

/** Three tickets (one a child of another), made once and copied for each test. */
const seeded = storeFixture((dir) => {
  const a = tackJson(dir, 'create', 'Alpha', '--priority', 'high', '--label', 'x').id;
  const b = tackJson(dir, 'create', 'Beta', '--type', 'bug').id;
  const c = tackJson(dir, 'create', 'Gamma', '--parent', a).id;
  return { a, b, c };
});

const fileAt = (dir: string, id: string) => git(dir, 'show', `tack:tickets/${id}.md`);

describe('tack sql (read)', () => {
  it('--json is exactly an array of row objects', () => {
    const { dir, a, b, c } = seeded();
    const rows = tackJson(dir, 'sql', 'SELECT id, title, priority FROM tickets ORDER BY title');
    expect(rows).toEqual([
      { id: a, title: 'Alpha', priority: 'high' },
      { id: b, title: 'Beta', priority: 'none' },
      { id: c, title: 'Gamma', priority: 'none' },
    ]);
    expect(tackJson(dir, 'sql', 'SELECT id FROM tickets WHERE 0')).toEqual([]);
  });

  it('joins the derived tables (labels, edges) and binds --param values', () => {
    const { dir, a, c } = seeded();
    expect(
      tackJson(dir, 'sql', "SELECT t.title FROM tickets t JOIN labels l ON l.ticket = t.id WHERE l.label = 'x'"),
    ).toEqual([{ title: 'Alpha' }]);
    expect(tackJson(dir, 'sql', 'SELECT kind, dst FROM edges WHERE src = ?', '--param', a)).toEqual([
      { kind: 'child', dst: c },
    ]);
    const n = tackJson(dir, 'sql', "SELECT count(*) AS n FROM commits WHERE op = 'create'");
    expect(n).toEqual([{ n: 3 }]);
  });

  it('prints a table for people', () => {
    const { dir } = seeded();
    const out = tack(dir, 'sql', 'SELECT title, type FROM tickets ORDER BY title');
    expect(out.split('\n')[0]).toMatch(/^title\s+type$/);
    expect(out).toContain('Beta   bug');
    expect(out).toContain('(3 rows)');
  });

  it('refuses statements that write, with code read_only, and writes nothing', () => {
    const { dir } = seeded();
    const before = revParse(dir, 'tack');
    for (const q of [
      'DELETE FROM tickets',
      "UPDATE tickets SET status = 'done'",
      'CREATE TABLE x(a)',
      "INSERT INTO labels VALUES ('a', 'b')",
    ]) {
      const f = tackFail(dir, 'sql', q);
      expect(f.error.code, q).toBe('read_only');
      expect(f.error.message).toContain('--write');
    }
    // Not even the cache changed: the rows are all still there.
    expect(tackJson(dir, 'sql', 'SELECT count(*) AS n FROM tickets')).toEqual([{ n: 3 }]);
    expect(revParse(dir, 'tack')).toBe(before);
  });

  it('refuses statements that return no rows and reports SQL errors', () => {
    const { dir } = seeded();
    expect(tackFail(dir, 'sql', 'PRAGMA query_only = 0').error.code).toBe('invalid_input');
    expect(tackFail(dir, 'sql', 'BEGIN').error.code).toBe('invalid_input');
    const bad = tackFail(dir, 'sql', 'SELECT nope FROM tickets');
    expect(bad.error.code).toBe('sql_error');
    expect(bad.error.message).toContain('no such column: nope');
    expect(tackFail(dir, 'sql', 'SELECT 1; SELECT 2').error.code).toBe('sql_error');
  });

  it('--at REV queries the tracker as it was', () => {
    const { dir, a } = seeded();
    const then = revParse(dir, 'tack')!;
    tack(dir, 'update', a, '--status', 'done');
    expect(tackJson(dir, 'sql', 'SELECT status FROM tickets WHERE id = ?', '--param', a)).toEqual([{ status: 'done' }]);
    expect(tackJson(dir, 'sql', 'SELECT status FROM tickets WHERE id = ?', '--param', a, '--at', then)).toEqual([
      { status: 'todo' },
    ]);
    expect(tackFail(dir, 'sql', 'DELETE FROM tickets', '--at', then).error.code).toBe('read_only');
  });
});

describe('tack sql --write', () => {
  it('turns an UPDATE into one validated commit through the operations layer', () => {
    const { dir, a, b, c } = seeded();
    const before = revParse(dir, 'tack')!;
    const out = tackJson(
      dir,
      'sql',
      '--write',
      "UPDATE tickets SET status = 'in-progress', assignee = 'alice' WHERE type = 'task'",
    );
    expect(out.tickets.sort()).toEqual([a, c].sort());
    expect(out.matched).toBe(2);
    expect(out.changes).toContainEqual({ id: a, column: 'status', old: 'todo', new: 'in-progress' });
    expect(revParse(dir, 'tack')).toBe(out.commit);
    expect(git(dir, 'rev-parse', `${out.commit}^`)).toBe(before);
    expect(git(dir, 'log', '-1', '--format=%B', 'tack')).toContain("UPDATE tickets SET status = 'in-progress'");
    expect(git(dir, 'log', '-1', '--format=%(trailers:key=Tack-Op,valueonly)', 'tack')).toBe('sql');
    expect(git(dir, 'diff-tree', '--no-commit-id', '--name-only', '-r', 'tack').split('\n').sort()).toEqual(
      [`tickets/${a}.md`, `tickets/${c}.md`].sort(),
    );
    expect(fileAt(dir, a)).toMatch(/^status: in-progress$/m);
    expect(fileAt(dir, a)).toMatch(/^assignee: alice$/m);
    expect(fileAt(dir, b)).toMatch(/^status: todo$/m);
    // The index follows the commit (category is derived again from the new status).
    expect(tackJson(dir, 'sql', 'SELECT category FROM tickets WHERE id = ?', '--param', a)).toEqual([
      { category: 'started' },
    ]);
  });

  it('an invalid value fails the whole statement and writes nothing', () => {
    const { dir, a } = seeded();
    const before = revParse(dir, 'tack');
    const f = tackFail(
      dir,
      'sql',
      '--write',
      "UPDATE tickets SET status = CASE WHEN id = ? THEN 'done' ELSE 'nonsense' END",
      '--param',
      a,
    );
    expect(f.error.code).toBe('invalid_ticket');
    expect(f.error.message).toContain('unknown status "nonsense"');
    expect(revParse(dir, 'tack')).toBe(before);
    expect(tackJson(dir, 'sql', "SELECT count(*) AS n FROM tickets WHERE status = 'todo'")).toEqual([{ n: 3 }]);
  });

  it('refuses derived columns and anything but UPDATE of tickets', () => {
    const { dir } = seeded();
    const before = revParse(dir, 'tack');
    for (const col of ['category', 'created', 'updated', 'short_id', 'priority_rank', 'dirty']) {
      const f = tackFail(dir, 'sql', '--write', `UPDATE tickets SET ${col} = 'x'`);
      expect(f.error.code, col).toBe('read_only');
      expect(f.error.message).toContain(`column "${col}" cannot be written`);
    }
    expect(
      tackFail(dir, 'sql', '--write', "UPDATE tickets SET id = 'tk-zzzzzzzz' WHERE title = 'Beta'").error.message,
    ).toContain('column "id"');
    expect(tackFail(dir, 'sql', '--write', "UPDATE labels SET label = 'y'").error.code).toBe('read_only');
    expect(tackFail(dir, 'sql', '--write', 'DELETE FROM tickets').error.code).toBe('read_only');
    expect(tackFail(dir, 'sql', '--write', "UPDATE tickets SET title = ''").error.code).toBe('invalid_input');
    expect(revParse(dir, 'tack')).toBe(before);
    expect(tackJson(dir, 'sql', 'SELECT count(*) AS n FROM tickets')).toEqual([{ n: 3 }]);
  });

  it('maps body to the description and custom field columns to front matter', () => {
    const { dir, a, b } = seeded();
    const schema = git(dir, 'show', 'tack:schema.yaml').replace(
      /^fields:.*\n/m,
      'fields:\n  estimate: { type: number }\n  billable: { type: bool }\n  size: { type: enum, values: [s, m, l] }\n',
    );
    expect(tackRaw(dir, ['schema', 'set', '-'], {}, schema).status).toBe(0);
    tackJson(
      dir,
      'sql',
      '--write',
      "UPDATE tickets SET estimate = 3, billable = 1, size = 'm', body = 'Line one\n\nSee #urgent' WHERE id = ?",
      '--param',
      a,
    );
    const text = fileAt(dir, a);
    expect(text).toMatch(/^estimate: 3$/m);
    expect(text).toMatch(/^billable: true$/m);
    expect(text).toMatch(/^size: m$/m);
    expect(text.endsWith('---\nLine one\n\nSee #urgent')).toBe(true); // git() trims the final newline
    expect(tackJson(dir, 'sql', 'SELECT tag FROM tags WHERE ticket = ?', '--param', a)).toEqual([{ tag: 'urgent' }]);
    // Typed validation applies: an enum value outside the list fails and writes nothing.
    const before = revParse(dir, 'tack');
    expect(
      tackFail(dir, 'sql', '--write', "UPDATE tickets SET size = 'xl' WHERE id = ?", '--param', b).error.message,
    ).toContain('"xl"');
    expect(revParse(dir, 'tack')).toBe(before);
    // NULL removes the field from the file.
    tackJson(dir, 'sql', '--write', 'UPDATE tickets SET estimate = NULL WHERE id = ?', '--param', a);
    expect(fileAt(dir, a)).not.toMatch(/^estimate:/m);
  });

  it('an UPDATE that changes nothing writes nothing', () => {
    const { dir } = seeded();
    const before = revParse(dir, 'tack');
    const out = tackJson(dir, 'sql', '--write', 'UPDATE tickets SET status = status');
    expect(out).toMatchObject({ commit: null, matched: 3, changes: [] });
    expect(revParse(dir, 'tack')).toBe(before);
  });
});
