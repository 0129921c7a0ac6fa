import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { isTackError } from './errors.js';
import {
  categoryOf,
  DEFAULT_SCHEMA_YAML,
  firstStateOf,
  parseSchema,
  priorityRank,
  waitingStates,
  type Schema,
} from './schema.js';

function defaults(): Record<string, unknown> {
  return parseYaml(DEFAULT_SCHEMA_YAML) as Record<string, unknown>;
}

function schemaError(raw: unknown): { code: string; message: string } {
  try {
    parseSchema(raw);
  } catch (e) {
    if (!isTackError(e)) throw e;
    return { code: e.code, message: e.message };
  }
  throw new Error('expected parseSchema to throw');
}

describe('parseSchema(DEFAULT_SCHEMA_YAML)', () => {
  const s: Schema = parseSchema(defaults());

  it("has Linear's workflow states and categories", () => {
    expect(s.states).toEqual([
      { name: 'triage', category: 'triage' },
      { name: 'backlog', category: 'backlog' },
      { name: 'todo', category: 'unstarted' },
      { name: 'needs-context', category: 'unstarted', waiting: true },
      { name: 'in-progress', category: 'started' },
      { name: 'in-review', category: 'started' },
      { name: 'done', category: 'completed' },
      { name: 'canceled', category: 'canceled' },
    ]);
    expect(s.defaultStatus).toBe('todo');
  });

  it("has Linear's priorities, none sorting last", () => {
    expect(s.priorities).toEqual(['none', 'urgent', 'high', 'medium', 'low']);
    expect(s.defaultPriority).toBe('none');
    const ranked = [...s.priorities].sort((a, b) => priorityRank(s, a) - priorityRank(s, b));
    expect(ranked).toEqual(['urgent', 'high', 'medium', 'low', 'none']);
  });

  it('has the ticket types, the id prefix and the relations', () => {
    expect(s.types).toEqual(['task', 'bug', 'feature', 'epic', 'spec', 'note', 'review']);
    expect(s.defaultType).toBe('task');
    expect(s.idPrefix).toBe('tk');
    expect(s.relations).toEqual([
      { name: 'blocks', inverse: 'blocked_by', acyclic: true },
      { name: 'related', inverse: 'related', acyclic: false },
      { name: 'duplicates', inverse: 'duplicated_by', acyclic: false },
      { name: 'discovered_from', inverse: 'discovered', acyclic: false },
      { name: 'reviews', inverse: 'reviewed_by', acyclic: false },
    ]);
    expect(s.fields.map((f) => [f.name, f.type, f.values])).toEqual([
      ['audience', 'enum', ['agent', 'human']],
      ['verdict', 'enum', ['approved', 'rejected']],
    ]);
    expect(s.projects).toEqual([]);
  });

  it('marks waiting states: never where close/reopen move work, listed by waitingStates', () => {
    const w = parseSchema({
      types: ['task'],
      states: [
        { name: 'asked', category: 'unstarted', waiting: true },
        { name: 'open', category: 'unstarted' },
      ],
    });
    expect(waitingStates(w)).toEqual(['asked']);
    expect(firstStateOf(w, 'unstarted')).toBe('open');
    expect(waitingStates(s)).toEqual(['needs-context']);
  });

  it('categoryOf and firstStateOf follow categories, not names', () => {
    expect(categoryOf(s, 'in-review')).toBe('started');
    expect(categoryOf(s, 'nonsense')).toBeUndefined();
    expect(firstStateOf(s, 'completed')).toBe('done');
    expect(firstStateOf(s, 'unstarted')).toBe('todo');
  });

  it('accepts typed custom fields and projects', () => {
    const raw = defaults();
    raw.fields = {
      estimate: { type: 'number', description: 'points' },
      size: { type: 'enum', values: ['s', 'm', 'l'] },
    };
    raw.projects = ['web', { key: 'api', name: 'The API' }];
    const c = parseSchema(raw);
    expect(c.fields).toEqual([
      { name: 'estimate', type: 'number', description: 'points' },
      { name: 'size', type: 'enum', values: ['s', 'm', 'l'] },
    ]);
    expect(c.projects).toEqual([
      { key: 'web', name: 'web' },
      { key: 'api', name: 'The API' },
    ]);
  });
});

describe('invalid schemas give invalid_schema with a clear message', () => {
  it('unknown state category', () => {
    const raw = defaults();
    (raw.states as Array<Record<string, string>>)[2].category = 'doing';
    const e = schemaError(raw);
    expect(e.code).toBe('invalid_schema');
    expect(e.message).toContain('"todo"');
    expect(e.message).toContain('"doing"');
    expect(e.message).toContain('triage, backlog, unstarted, started, completed, canceled');
  });

  it('duplicate state', () => {
    const raw = defaults();
    (raw.states as unknown[]).push({ name: 'done', category: 'completed' });
    const e = schemaError(raw);
    expect(e.code).toBe('invalid_schema');
    expect(e.message).toMatch(/"done".*twice/);
  });

  it('default status that is not a state', () => {
    const raw = { ...defaults(), default_status: 'open' };
    const e = schemaError(raw);
    expect(e.code).toBe('invalid_schema');
    expect(e.message).toContain('default_status');
    expect(e.message).toContain('"open"');
    expect(e.message).toContain('triage, backlog, todo, needs-context, in-progress, in-review, done, canceled');
  });

  it('default type and default priority outside their lists', () => {
    const t = schemaError({ ...defaults(), default_type: 'story' });
    expect(t.code).toBe('invalid_schema');
    expect(t.message).toContain('default_type');
    expect(t.message).toContain('task, bug');
    const p = schemaError({ ...defaults(), default_priority: 'p0' });
    expect(p.code).toBe('invalid_schema');
    expect(p.message).toContain('default_priority');
    expect(p.message).toContain('none, urgent, high, medium, low');
  });

  it('custom field clashing with a core field name', () => {
    for (const name of ['status', 'labels', 'created']) {
      const e = schemaError({ ...defaults(), fields: { [name]: { type: 'string' } } });
      expect(e.code).toBe('invalid_schema');
      expect(e.message).toContain(`"${name}"`);
      expect(e.message).toMatch(/core field/);
    }
  });

  it('custom field clashing with a relation or an index column', () => {
    const rel = schemaError({ ...defaults(), fields: { blocks: { type: 'string' } } });
    expect(rel.code).toBe('invalid_schema');
    expect(rel.message).toContain('"blocks"');
    const col = schemaError({ ...defaults(), fields: { category: { type: 'string' } } });
    expect(col.code).toBe('invalid_schema');
    expect(col.message).toContain('"category"');
  });

  it('enum field without values', () => {
    const e = schemaError({ ...defaults(), fields: { size: { type: 'enum' } } });
    expect(e.code).toBe('invalid_schema');
    expect(e.message).toContain('values');
    const empty = schemaError({ ...defaults(), fields: { size: { type: 'enum', values: [] } } });
    expect(empty.code).toBe('invalid_schema');
  });

  it('unknown field type lists the types', () => {
    const e = schemaError({ ...defaults(), fields: { estimate: { type: 'integer' } } });
    expect(e.code).toBe('invalid_schema');
    expect(e.message).toContain('"integer"');
    expect(e.message).toContain('string, number, date, bool, enum, user, ticket, list');
  });

  it('not a map, empty states, bad id prefix, bad field name', () => {
    expect(schemaError([1, 2]).code).toBe('invalid_schema');
    expect(schemaError(null).code).toBe('invalid_schema');
    expect(schemaError({ ...defaults(), states: [] }).code).toBe('invalid_schema');
    const prefix = schemaError({ ...defaults(), id_prefix: 'TK' });
    expect(prefix.code).toBe('invalid_schema');
    expect(prefix.message).toContain('id_prefix');
    const name = schemaError({ ...defaults(), fields: { 'Story Points': { type: 'number' } } });
    expect(name.code).toBe('invalid_schema');
    expect(name.message).toContain('Story Points');
  });

  it('messages name the file', () => {
    expect(schemaError({ ...defaults(), default_status: 'x' }).message).toMatch(/^schema\.yaml: /);
  });
});
