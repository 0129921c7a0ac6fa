import { z } from 'zod';
import { indexedSchema } from '../../index/indexDb.js';
import { listTickets } from '../../index/queries.js';
import { TackError } from '../../model/errors.js';
import { CATEGORIES } from '../../model/schema.js';
import listOp from '../../ops/list.js';
import type { OpContext } from '../../ops/op.js';
import { checkIn } from '../../ops/ticketInput.js';
import type { ConnectorKind } from '../connector.js';
import { checkName, sameName } from './pullScope.js';

/**
 * Which tickets a connection sends out: the filters of `tack list` (same names, same
 * meaning: every label, any of the types, projects...), so `tack list` with the same
 * options shows exactly the tickets in scope. GitHub connections add `milestone`: the
 * tickets of the project that stands for that milestone (a project whose name or key is
 * the milestone's title, as `tack import github` names them), so one title scopes both
 * ways with `--pull-filter milestone=`. A milestone is compared, never queried.
 */
export const syncFilterSchema = listOp.input
  .pick({ type: true, label: true, project: true, status: true, category: true, priority: true, assignee: true })
  .extend({ milestone: z.array(z.string()).optional() })
  .strict();

export type SyncFilter = z.infer<typeof syncFilterSchema>;

const KEYS = Object.keys(syncFilterSchema.shape) as Array<keyof SyncFilter>;
const keysFor = (kind?: ConnectorKind) => KEYS.filter((k) => k !== 'milestone' || kind === 'github');

/** `--filter KEY=VALUE` (repeatable) → a filter; `--filter all` → none (everything goes out). */
export function parseSyncFilter(args: string[], kind?: ConnectorKind): SyncFilter | null {
  if (args.length === 1 && args[0] === 'all') return null;
  const keys = keysFor(kind);
  const out: Record<string, string[]> = {};
  for (const a of args) {
    const i = a.indexOf('=');
    const key = i > 0 ? a.slice(0, i) : '';
    if (!keys.includes(key as keyof SyncFilter) || i === a.length - 1)
      throw new TackError(
        'invalid_input',
        `--filter takes KEY=VALUE with KEY one of ${keys.join(', ')}${kind ? ` for ${kind}` : ''} (or "all" for no filter), got ${JSON.stringify(a)}`,
        { filter: a, expected: keys },
      );
    if (key === 'milestone') checkName('--filter', key, a.slice(i + 1));
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
  for (const m of f.milestone ?? [])
    if (milestoneProjects(schema.projects, [m]).length === 0)
      throw new TackError(
        'invalid_input',
        `--filter milestone: no project stands for milestone ${JSON.stringify(m)}; expected the name or key of one of the projects (${schema.projects.map((p) => p.name).join(', ') || 'none'})`,
        { filter: `milestone=${m}`, expected: schema.projects.map((p) => p.name) },
      );
}

/** The keys of the projects standing for any of these milestones (by name or key, case aside). */
function milestoneProjects(projects: Array<{ key: string; name: string }>, milestones: string[]): string[] {
  return projects.filter((p) => milestones.some((m) => sameName(m, p.name) || sameName(m, p.key))).map((p) => p.key);
}

/** The ids of the tickets in scope (closed and archived ones included: scope is not state). */
export async function ticketsInScope(ctx: OpContext, f: SyncFilter): Promise<Set<string>> {
  const db = (await ctx.index()).db;
  const all = !f.status?.length && !f.category?.length;
  const { milestone, ...filter } = f;
  if (milestone?.length) {
    const keys = milestoneProjects(indexedSchema(db)?.projects ?? [], milestone);
    // Both given: tickets of a named project that is also one of the milestones.
    filter.project = filter.project ? filter.project.filter((p) => keys.includes(p)) : keys;
    if (filter.project.length === 0) return new Set();
  }
  return new Set(listTickets(db, { ...filter, all }).map((t) => t.id));
}
