import { z } from 'zod';
import { TackError, unknownValue } from '../model/errors.js';
import { coerceCustomValue, checkCustomValue } from '../model/ticket.js';
import type { Schema } from '../model/schema.js';
import type { Index } from '../index/indexDb.js';
import { resolveId } from '../index/ticketIds.js';

/** Shared zod pieces: the same names on every surface. */
export const idArg = z.string().min(1).describe('ticket id or unique prefix');
export const idList = z.array(z.string().min(1));
export const fieldAssignments = z.array(z.string()).optional().describe('custom field as name=value (repeatable)');

/** Validate a value against the schema's list before anything is written. */
export function checkIn(what: string, value: string | undefined, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value)) throw unknownValue(what, value, allowed);
}

export function checkTicketEnums(
  schema: Schema,
  v: { type?: string; status?: string; priority?: string; project?: string | null },
): void {
  checkIn('type', v.type, schema.types);
  checkIn(
    'status',
    v.status,
    schema.states.map((s) => s.name),
  );
  checkIn('priority', v.priority, schema.priorities);
  if (v.project && schema.projects.length > 0)
    checkIn(
      'project',
      v.project,
      schema.projects.map((p) => p.key),
    );
}

/**
 * "me", wherever a user is expected (an assignee, a filter, a field of type user), is the
 * acting user: the one place every surface's input goes through. `user` is a getter so
 * an input without "me" never asks git who is acting.
 */
export function meAs<T extends string | null | undefined>(value: T, user: () => string): T | string {
  return value === 'me' ? user() : value;
}

/** The same for a list of users (a repeatable filter). */
export function meInList(values: readonly string[] | undefined, user: () => string): string[] | undefined {
  return values?.map((v) => meAs(v, user));
}

/** "estimate=3" → ['estimate', 3], typed by the schema; "owner=me" is the acting user. */
export function parseFieldAssignments(
  schema: Schema,
  items: readonly string[] | undefined,
  user?: () => string,
): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const item of items ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new TackError('invalid_input', `--field expects name=value; received ${JSON.stringify(item)}`);
    const name = item.slice(0, eq).trim();
    const def = schema.fields.find((f) => f.name === name);
    if (!def) {
      throw unknownValue(
        'field',
        name,
        schema.fields.map((f) => f.name).concat(schema.fields.length ? [] : ['(none: declare fields in schema.yaml)']),
      );
    }
    const raw = item.slice(eq + 1);
    const value = coerceCustomValue(def, def.type === 'user' && user ? meAs(raw, user) : raw);
    checkCustomValue(def, value);
    out.push([name, value]);
  }
  return out;
}

/** "none" or "" clears an optional field. */
export function clearable(v: string | undefined): string | null | undefined {
  if (v === undefined) return undefined;
  return v === '' || v === 'none' ? null : v;
}

export function resolveIds(idx: Index, inputs: readonly string[]): string[] {
  return inputs.map((i) => resolveId(idx.db, i));
}
