import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, revParse, tack, tackFail, tackJson, tackRaw, tempStore, trackCleanups } from './helpers.js';

/* Schema commands: show, rename-state, rename-field, edit/set. Every change is one commit. */

const track = trackCleanups();

function store(inline = false): string {
  const r = tempStore({ inline });
  track(r.cleanup);
  return r.dir;
}

const schemaAt = (dir: string, rev = 'tack') => git(dir, 'show', `${rev}:schema.yaml`);
const fileAt = (dir: string, id: string) => git(dir, 'show', `tack:tickets/${id}.md`);
const changed = (dir: string, rev = 'tack') =>
  git(dir, 'diff-tree', '--no-commit-id', '--name-only', '-r', rev).split('\n').sort();

function setSchema(dir: string, text: string): { status: number; stdout: string; stderr: string } {
  return tackRaw(dir, ['schema', 'set', '-', '--json'], {}, text);
}

const WITH_FIELDS = (base: string) =>
  base.replace(
    /^fields:.*\n/m,
    'fields:\n  # effort, in points\n  estimate: { type: number, description: Story points }  # keep me\n  team: { type: string }\n',
  );

describe('tack schema (show)', () => {
  it('prints the parsed schema as JSON and as a readable listing', () => {
    const dir = store();
    const s = tackJson(dir, 'schema');
    expect(s.idPrefix).toBe('tk');
    expect(s.states).toContainEqual({ name: 'in-progress', category: 'started' });
    expect(s.defaultStatus).toBe('todo');
    expect(s.relations.map((r: { name: string }) => r.name)).toEqual([
      'blocks',
      'related',
      'duplicates',
      'discovered_from',
      'reviews',
    ]);
    const human = tack(dir, 'schema');
    expect(human).toMatch(/in-review\s+started/);
    expect(human).toMatch(/todo\s+unstarted\s+\(default\)/);
    expect(human).toContain('blocks → blocked_by  (acyclic)');
    expect(tackJson(dir, 'schema', 'show')).toEqual(s);
  });
});

describe('tack schema rename-state', () => {
  it('rewrites schema.yaml (comments and layout kept) and every ticket in that state, in one commit', () => {
    const dir = store();
    const a = tackJson(dir, 'create', 'A').id;
    const b = tackJson(dir, 'create', 'B', '--status', 'in-progress').id;
    const c = tackJson(dir, 'create', 'C').id;
    const oldSchema = schemaAt(dir);
    const before = revParse(dir, 'tack')!;
    const out = tackJson(dir, 'schema', 'rename-state', 'todo', 'ready-to-go');
    expect(out.tickets.sort()).toEqual([a, c].sort());
    expect(revParse(dir, 'tack')).toBe(out.commit);
    expect(git(dir, 'rev-parse', 'tack^')).toBe(before);
    expect(changed(dir)).toEqual(['schema.yaml', `tickets/${a}.md`, `tickets/${c}.md`].sort());
    expect(git(dir, 'log', '-1', '--format=%(trailers:key=Tack-Op,valueonly)', 'tack')).toBe('schema-rename-state');
    // Only the two occurrences changed: every comment and line of layout is as it was.
    expect(schemaAt(dir)).toBe(
      oldSchema
        .replace('  - { name: todo, category: unstarted }', '  - { name: ready-to-go, category: unstarted }')
        .replace('default_status: todo', 'default_status: ready-to-go'),
    );
    expect(fileAt(dir, a)).toMatch(/^status: ready-to-go$/m);
    expect(fileAt(dir, b)).toMatch(/^status: in-progress$/m);
    expect(
      tackJson(dir, 'list', '--status', 'ready-to-go')
        .map((t: { id: string }) => t.id)
        .sort(),
    ).toEqual([a, c].sort());
    expect(tackJson(dir, 'create', 'D').status).toBe('ready-to-go');
  });

  it('refuses an unknown or taken name and writes nothing', () => {
    const dir = store();
    tackJson(dir, 'create', 'A');
    const before = revParse(dir, 'tack');
    const unknown = tackFail(dir, 'schema', 'rename-state', 'nope', 'x');
    expect(unknown.error.code).toBe('invalid_input');
    expect(unknown.error.message).toContain('unknown state "nope"');
    expect(tackFail(dir, 'schema', 'rename-state', 'todo', 'done').error.code).toBe('already_exists');
    expect(revParse(dir, 'tack')).toBe(before);
  });

  it('works in inline mode: one commit on the current branch, files updated on disk', () => {
    const dir = store(true);
    const a = tackJson(dir, 'create', 'A').id;
    const head = revParse(dir, 'HEAD')!;
    tackJson(dir, 'schema', 'rename-state', 'todo', 'next');
    expect(git(dir, 'rev-parse', 'HEAD^')).toBe(head);
    expect(readFileSync(join(dir, '.tack', 'schema.yaml'), 'utf8')).toContain('{ name: next, category: unstarted }');
    expect(readFileSync(join(dir, '.tack', 'tickets', `${a}.md`), 'utf8')).toMatch(/^status: next$/m);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });
});

describe('tack schema rename-field', () => {
  it('renames the schema key and the front-matter key of every ticket that has it, in one commit', () => {
    const dir = store();
    expect(setSchema(dir, WITH_FIELDS(schemaAt(dir))).status).toBe(0);
    const a = tackJson(dir, 'create', 'A', '--field', 'estimate=3').id;
    const b = tackJson(dir, 'create', 'B').id;
    const before = schemaAt(dir);
    const out = tackJson(dir, 'schema', 'rename-field', 'estimate', 'points');
    expect(out.tickets).toEqual([a]);
    expect(changed(dir)).toEqual(['schema.yaml', `tickets/${a}.md`].sort());
    expect(schemaAt(dir)).toBe(before.replace('\n  estimate: { type: number', '\n  points: { type: number'));
    expect(schemaAt(dir)).toContain('# effort, in points');
    expect(schemaAt(dir)).toContain('# keep me');
    expect(fileAt(dir, a)).toMatch(/^points: 3$/m);
    expect(fileAt(dir, a)).not.toMatch(/^estimate:/m);
    expect(fileAt(dir, b)).not.toMatch(/points|estimate/);
    expect(tackJson(dir, 'sql', 'SELECT points FROM tickets WHERE id = ?', '--param', a)).toEqual([{ points: 3 }]);
  });

  it('refuses unknown fields, invalid names and a name a ticket already uses', () => {
    const dir = store();
    expect(setSchema(dir, WITH_FIELDS(schemaAt(dir))).status).toBe(0);
    const a = tackJson(dir, 'create', 'A', '--field', 'estimate=3').id;
    // A hand edit left an unknown "size" key in a ticket: renaming onto it would collide.
    tack(dir, 'edit', a, `--text=${fileAt(dir, a).replace('estimate: 3', 'estimate: 3\nsize: big')}\n`);
    const before = revParse(dir, 'tack');
    expect(tackFail(dir, 'schema', 'rename-field', 'nope', 'x').error.message).toContain('unknown custom field "nope"');
    expect(tackFail(dir, 'schema', 'rename-field', 'estimate', 'Bad Name').error.code).toBe('invalid_input');
    expect(tackFail(dir, 'schema', 'rename-field', 'estimate', 'status').error.code).toBe('invalid_schema');
    expect(tackFail(dir, 'schema', 'rename-field', 'estimate', 'team').error.code).toBe('already_exists');
    const clash = tackFail(dir, 'schema', 'rename-field', 'estimate', 'size');
    expect(clash.error.code).toBe('conflict');
    expect(clash.error.message).toContain(a);
    expect(revParse(dir, 'tack')).toBe(before);
  });
});

describe('tack schema set / edit', () => {
  it('commits a valid new schema from a file; unchanged text writes nothing', () => {
    const dir = store();
    const file = join(dir, 'new-schema.yaml');
    writeFileSync(file, schemaAt(dir).replace('types: [task, bug,', 'types: [task, chore, bug,'));
    const out = tackJson(dir, 'schema', 'set', 'new-schema.yaml');
    expect(out.changed).toBe(true);
    expect(revParse(dir, 'tack')).toBe(out.commit);
    expect(changed(dir)).toEqual(['schema.yaml']);
    expect(git(dir, 'log', '-1', '--format=%(trailers:key=Tack-Op,valueonly)', 'tack')).toBe('schema-edit');
    expect(tackJson(dir, 'create', 'Chore', '--type', 'chore').type).toBe('chore');
    const head = revParse(dir, 'tack');
    expect(tackJson(dir, 'schema', 'set', file).changed).toBe(false);
    expect(revParse(dir, 'tack')).toBe(head);
  });

  it('refuses a schema that would make existing tickets invalid, naming them', () => {
    const dir = store();
    const a = tackJson(dir, 'create', 'A', '--status', 'in-review').id;
    const before = revParse(dir, 'tack');
    const r = setSchema(dir, schemaAt(dir).replace('  - { name: in-review, category: started }\n', ''));
    expect(r.status).not.toBe(0);
    const err = JSON.parse(r.stderr.trim()).error;
    expect(err.code).toBe('invalid_schema');
    expect(err.message).toContain(`${a} (unknown status "in-review"`);
    expect(err.details.tickets).toEqual([{ id: a, problems: [expect.stringContaining('unknown status "in-review"')] }]);
    // Invalid YAML or an invalid schema is refused with what was wrong.
    const yaml = JSON.parse(setSchema(dir, 'version: 1\nstates: [\n').stderr.trim()).error;
    expect(yaml.code).toBe('invalid_schema');
    expect(yaml.message).toMatch(/schema\.yaml:\d+: invalid YAML/);
    const cat = JSON.parse(
      setSchema(dir, schemaAt(dir).replace('category: canceled', 'category: gone')).stderr.trim(),
    ).error;
    expect(cat.message).toContain('category "gone"');
    expect(revParse(dir, 'tack')).toBe(before);
  });

  it('schema edit opens $EDITOR on schema.yaml and commits the saved text', () => {
    const dir = store();
    const tmp = mkdtempSync(join(tmpdir(), 'tack-schema-edit-'));
    track(() => rmSync(tmp, { recursive: true, force: true }));
    const env = { VISUAL: '', TMPDIR: tmp };
    const ok = tackRaw(dir, ['schema', 'edit', '--json'], {
      ...env,
      EDITOR: "sed -i 's/^projects: \\[\\]/projects: [web, api]/'",
    });
    expect(ok.status, ok.stderr).toBe(0);
    expect(schemaAt(dir)).toContain('projects: [web, api]');
    expect(tackJson(dir, 'schema').projects.map((p: { key: string }) => p.key)).toEqual(['web', 'api']);
    const before = revParse(dir, 'tack');
    const bad = tackRaw(dir, ['schema', 'edit', '--json'], {
      ...env,
      EDITOR: "sed -i 's/^default_status: todo/default_status: nowhere/'",
    });
    expect(bad.status).not.toBe(0);
    expect(JSON.parse(bad.stderr.trim().split('\n').pop()!).error.message).toContain('"default_status" is "nowhere"');
    expect(revParse(dir, 'tack')).toBe(before);
  });
});
