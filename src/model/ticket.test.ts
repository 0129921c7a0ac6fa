import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { isTackError } from './errors.js';
import { DEFAULT_SCHEMA_YAML, parseSchema, type FieldDef, type Schema } from './schema.js';
import {
  assertValid,
  checkCustomValue,
  coerceCustomValue,
  ticketFromData,
  validateTicket,
  type Ticket,
} from './ticket.js';

const schema: Schema = parseSchema({
  ...(parseYaml(DEFAULT_SCHEMA_YAML) as object),
  fields: {
    estimate: { type: 'number' },
    billable: { type: 'bool' },
    due: { type: 'date' },
    size: { type: 'enum', values: ['s', 'm', 'l'] },
    tags2: { type: 'list' },
    owner: { type: 'user' },
  },
});

function ticket(fields: Record<string, unknown>): Ticket {
  return ticketFromData(schema, {
    fields: {
      id: 'tk-abcd1234',
      title: 'A ticket',
      created: '2026-11-21T10:02:11Z',
      updated: '2026-11-21T10:02:11Z',
      ...fields,
    },
    body: '',
    comments: [],
  });
}

function problem(t: Ticket, field: string): string {
  const p = validateTicket(schema, t).find((x) => x.field === field);
  if (!p) throw new Error(`expected a problem with "${field}", got ${JSON.stringify(validateTicket(schema, t))}`);
  return p.message;
}

function err(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (!isTackError(e)) throw e;
    return { code: e.code, message: e.message };
  }
  throw new Error('expected a TackError');
}

describe('validateTicket', () => {
  it('a complete ticket is valid, defaults fill type/status/priority', () => {
    const t = ticket({});
    expect(validateTicket(schema, t, 'tk-abcd1234')).toEqual([]);
    expect(t.type).toBe('task');
    expect(t.status).toBe('todo');
    expect(t.category).toBe('unstarted');
    expect(t.priority).toBe('none');
  });

  it('unknown status lists the expected states', () => {
    const m = problem(ticket({ status: 'doing' }), 'status');
    expect(m).toBe(
      'unknown status "doing"; expected one of: triage, backlog, todo, needs-context, in-progress, in-review, done, canceled',
    );
  });

  it('unknown priority lists the expected priorities', () => {
    expect(problem(ticket({ priority: 'p1' }), 'priority')).toBe(
      'unknown priority "p1"; expected one of: none, urgent, high, medium, low',
    );
  });

  it('unknown type lists the expected types', () => {
    expect(problem(ticket({ type: 'story' }), 'type')).toBe(
      'unknown type "story"; expected one of: task, bug, feature, epic, spec, note, review',
    );
  });

  it('missing id/title, bad timestamps, self references, id/file mismatch', () => {
    const t = ticket({ id: null, title: '  ' });
    expect(problem(t, 'id')).toBe('missing id');
    expect(problem(t, 'title')).toBe('missing title');
    expect(problem(ticket({ created: 'yesterday' }), 'created')).toContain('"yesterday"');
    expect(problem(ticket({ parent: 'tk-abcd1234' }), 'parent')).toContain('own parent');
    expect(problem(ticket({ blocks: ['tk-abcd1234'] }), 'blocks')).toContain('itself');
    const mismatch = validateTicket(schema, ticket({}), 'tk-other000');
    expect(mismatch.map((p) => p.field)).toEqual(['id']);
    expect(mismatch[0].message).toContain('tk-other000');
  });

  it('custom field types are checked', () => {
    expect(problem(ticket({ estimate: 'three' }), 'estimate')).toBe(
      'field "estimate" must be a number; received "three"',
    );
    expect(problem(ticket({ billable: 'yes' }), 'billable')).toContain('true or false');
    expect(problem(ticket({ due: 'next week' }), 'due')).toContain('a date');
    expect(problem(ticket({ size: 'xl' }), 'size')).toBe('unknown size "xl"; expected one of: s, m, l');
    expect(problem(ticket({ tags2: 'a, b' }), 'tags2')).toContain('a list of strings');
    expect(problem(ticket({ tags2: ['a', 3] }), 'tags2')).toContain('a list of strings');
    expect(problem(ticket({ owner: 42 }), 'owner')).toContain('a string');
    const ok = ticket({
      estimate: 3.5,
      billable: false,
      due: '2026-12-01',
      size: 'm',
      tags2: ['a', 'b'],
      owner: 'alice',
    });
    expect(validateTicket(schema, ok)).toEqual([]);
    expect(ok.custom).toEqual({
      estimate: 3.5,
      billable: false,
      due: '2026-12-01',
      size: 'm',
      tags2: ['a', 'b'],
      owner: 'alice',
    });
  });

  it('unknown fields are kept as extra, not problems', () => {
    const t = ticket({ x_origin: { system: 'jira', key: 'ABC-1' } });
    expect(validateTicket(schema, t)).toEqual([]);
    expect(t.extra).toEqual({ x_origin: { system: 'jira', key: 'ABC-1' } });
  });

  it('assertValid throws invalid_ticket with every problem', () => {
    const e = err(() => assertValid(schema, ticket({ status: 'doing', priority: 'p1' })));
    expect(e.code).toBe('invalid_ticket');
    expect(e.message).toContain('unknown status "doing"');
    expect(e.message).toContain('unknown priority "p1"');
  });
});

describe('custom values', () => {
  const def = (name: string): FieldDef => schema.fields.find((f) => f.name === name)!;

  it('checkCustomValue accepts good values and null', () => {
    expect(() => checkCustomValue(def('estimate'), 2)).not.toThrow();
    expect(() => checkCustomValue(def('due'), '2026-11-21T10:02:11Z')).not.toThrow();
    expect(() => checkCustomValue(def('size'), null)).not.toThrow();
  });

  it('checkCustomValue rejects with invalid_input', () => {
    expect(err(() => checkCustomValue(def('estimate'), Number.NaN)).code).toBe('invalid_input');
    expect(err(() => checkCustomValue(def('size'), 'xl')).message).toContain('expected one of: s, m, l');
  });

  it('coerceCustomValue turns CLI text into typed values', () => {
    expect(coerceCustomValue(def('estimate'), '2.5')).toBe(2.5);
    expect(coerceCustomValue(def('billable'), 'yes')).toBe(true);
    expect(coerceCustomValue(def('billable'), '0')).toBe(false);
    expect(coerceCustomValue(def('tags2'), 'a, b,,c')).toEqual(['a', 'b', 'c']);
    expect(coerceCustomValue(def('size'), '')).toBeNull();
    expect(err(() => coerceCustomValue(def('estimate'), 'lots')).message).toContain('"lots"');
    expect(err(() => coerceCustomValue(def('billable'), 'maybe')).code).toBe('invalid_input');
  });
});
