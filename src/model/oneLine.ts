import { TackError } from './errors.js';
import type { Schema } from './schema.js';
import type { Ticket } from './ticket.js';

/**
 * What may not appear in a one-line value (a title, a label, a name): C0 controls (line
 * breaks and tab included), DEL, C1 controls, the Unicode line/paragraph separators and
 * the bidirectional overrides and isolates. Any of them lets a value break out of its line
 * or cell, or make a terminal show something other than what is stored.
 */
export const NOT_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
export const NOT_ONE_LINE_ALL = new RegExp(NOT_ONE_LINE.source, 'g');

export const ONE_LINE_EXPECTED =
  'one line of text without control characters (no line break, tab, escape, or bidi override)';

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** null when `value` is a valid one-line value, else what is wrong with it. */
export function oneLineProblem(value: string): string | null {
  const m = NOT_ONE_LINE.exec(value);
  return m ? `contains ${codePoint(m[0])} at position ${m.index + 1}` : null;
}

/** Refuse a value that is not one line, with what/expected/received. */
export function checkOneLine(what: string, value: string): void {
  const problem = oneLineProblem(value);
  if (problem === null) return;
  throw new TackError(
    'invalid_input',
    `${what} must be ${ONE_LINE_EXPECTED}; received ${JSON.stringify(value)} (${problem})`,
    {
      what,
      expected: ONE_LINE_EXPECTED,
      received: value,
    },
  );
}

const ONE_LINE_CUSTOM = new Set(['enum', 'user', 'ticket', 'date', 'list']);

/** The one-line values of a ticket, as [field, value] pairs (list items one by one). */
export function oneLineValues(schema: Schema, t: Ticket): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const add = (field: string, v: unknown): void => {
    if (typeof v === 'string') out.push([field, v]);
    else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') out.push([field, x]);
  };
  for (const k of [
    'title',
    'type',
    'status',
    'priority',
    'assignee',
    'parent',
    'project',
    'resolution',
    'labels',
    'aliases',
    'links',
  ] as const)
    add(k, t[k]);
  for (const [k, v] of Object.entries(t.relations)) add(k, v);
  for (const f of schema.fields) if (ONE_LINE_CUSTOM.has(f.type)) add(f.name, t.custom[f.name]);
  return out;
}

/** The names a schema gives (types, states, priorities, fields, relations, projects). */
export function schemaNames(schema: Schema): Array<[string, string]> {
  return [
    ...schema.types.map((n): [string, string] => ['type name', n]),
    ...schema.states.map((s): [string, string] => ['state name', s.name]),
    ...schema.priorities.map((n): [string, string] => ['priority name', n]),
    ...schema.fields.flatMap(
      (f): Array<[string, string]> => [
        ['field name', f.name],
        ...(f.values ?? []).map((v): [string, string] => [`value of field ${f.name}`, v]),
      ],
    ),
    ...schema.relations.flatMap(
      (r): Array<[string, string]> => [
        ['relation name', r.name],
        ['relation name', r.inverse],
      ],
    ),
    ...schema.projects.flatMap(
      (p): Array<[string, string]> => [
        ['project key', p.key],
        ['project name', p.name],
      ],
    ),
  ];
}

/**
 * Refuse the first value of `after` that is not one line and was not already in `before`:
 * a write must not add one, but a value someone else wrote must not block other edits.
 */
export function checkNewOneLine(after: Array<[string, string]>, before: Array<[string, string]> = []): void {
  const had = new Set(before.map(([k, v]) => `${k}\u0000${v}`));
  for (const [what, v] of after) if (!had.has(`${what}\u0000${v}`)) checkOneLine(what, v);
}
