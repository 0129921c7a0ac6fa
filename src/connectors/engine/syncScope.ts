import type { z } from 'zod';
import { indexedSchema } from '../../index/indexDb.js';
import { listTickets } from '../../index/queries.js';
import { TackError } from '../../model/errors.js';
import { CATEGORIES } from '../../model/schema.js';
import listOp from '../../ops/list.js';
import type { OpContext } from '../../ops/op.js';
import { checkIn } from '../../ops/ticketInput.js';

/**
 * Which tickets a connection sends out: the filters of `tack list` (same names, same
 * meaning: every label, any of the types, projects...), so `tack list` with the same
 * options shows exactly the tickets in scope.
 */
export const syncFilterSchema = listOp.input
  .pick({ type: true, label: true, project: true, status: true, category: true, priority: true, assignee: true })
  .strict();

export type SyncFilter = z.infer<typeof syncFilterSchema>;

const KEYS = Object.keys(syncFilterSchema.shape) as Array<keyof SyncFilter>;

/** `--filter KEY=VALUE` (repeatable) → a filter; `--filter all` → none (everything goes out). */
export function parseSyncFilter(args: string[]): SyncFilter | null {
  if (args.length === 1 && args[0] === 'all') return null;
  const out: Record<string, string[]> = {};
  for (const a of args) {
    const i = a.indexOf('=');
    const key = i > 0 ? a.slice(0, i) : '';
    if (!KEYS.includes(key as keyof SyncFilter) || i === a.length - 1)
      throw new TackError(
        'invalid_input',
        `--filter takes KEY=VALUE with KEY one of ${KEYS.join(', ')} (or "all" for no filter), got "${a}"`,
        { filter: a, expected: KEYS },
      );
    (out[key] ??= []).push(a.slice(i + 1));
  }
  const parsed = syncFilterSchema.safeParse(out);
  if (!parsed.success) throw new TackError('invalid_input', `bad --filter: ${parsed.error.message}`);
  return parsed.data;
}

/** A filter's values checked against this store's schema (a typo would silently match nothing). */
export async function checkSyncFilter(ctx: OpContext, f: SyncFilter): Promise<void> {
  const schema = indexedSchema((await ctx.index()).db);
  if (!schema) return;
  for (const s of f.status ?? [])
    checkIn(
      'status',
      s,
      schema.states.map((x) => x.name),
    );
  for (const c of f.category ?? []) checkIn('category', c, CATEGORIES);
  for (const t of f.type ?? []) checkIn('type', t, schema.types);
  for (const p of f.priority ?? []) checkIn('priority', p, schema.priorities);
}

/** The ids of the tickets in scope (closed and archived ones included: scope is not state). */
export async function ticketsInScope(ctx: OpContext, f: SyncFilter): Promise<Set<string>> {
  const db = (await ctx.index()).db;
  const all = !f.status?.length && !f.category?.length;
  return new Set(listTickets(db, { ...f, all }).map((t) => t.id));
}
