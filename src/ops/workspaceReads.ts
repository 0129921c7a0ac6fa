import { indexedSchema } from '../index/indexDb.js';
import {
  BLOCKERS_SHOWN,
  blockedTickets,
  getSummary,
  listTickets,
  readyTickets,
  type BlockedTicket,
  type ListFilter,
  type ReadyFilter,
  type TicketSummary,
} from '../index/queries.js';
import { searchTickets, type SearchHit, type SearchOptions } from '../index/search.js';
import { DETAILS_SHOWN, ticketDetails, shownHistory } from '../index/ticketDetails.js';
import { categoryRank } from '../index/ticketRows.js';
import { priorityRank, workflowRank } from '../model/schema.js';
import type { OpContext } from './op.js';
import { crossBlockers, locate, selfName, type Source } from './workspaceSources.js';

/*
 * The reads that span a workspace: the same query on every store's own index, each row
 * marked with its `source`, merged in the order the single-store query uses. Each store
 * answers at most `limit` rows, so the merged top `limit` is exact.
 */

function tag<T extends TicketSummary>(s: Source, rows: T[]): T[] {
  for (const r of rows) r.source = s.name;
  return rows;
}

type Key = Array<string | number>;

function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

const desc = (s: string | null) =>
  (s ?? '')
    .split('')
    .map((c) => String.fromCharCode(0xffff - c.charCodeAt(0)))
    .join('');

function sortKey(sort: ListFilter['sort'], rank: (t: TicketSummary) => number, t: TicketSummary): Key {
  switch (sort ?? 'status') {
    case 'priority':
      return [rank(t), t.created ?? '', t.id];
    case 'created':
      return [desc(t.created), t.id];
    case 'updated':
      return [desc(t.updated), t.id];
    case 'title':
      return [t.title.toLowerCase(), t.id];
    case 'id':
      return [t.id];
    case 'workflow':
      return [workflowRank(t.category), rank(t), desc(t.updated), t.id];
    default:
      return [categoryRank(t.category), rank(t), t.created ?? '', t.id];
  }
}

function merge<T extends TicketSummary>(
  sources: Source[],
  per: (s: Source) => T[],
  sort: ListFilter['sort'],
  limit?: number,
  only?: string,
): T[] {
  const rows: Array<{ key: Key; row: T }> = [];
  for (const s of sources) {
    if (only && s.name !== only) continue;
    const schema = indexedSchema(s.index.db)!;
    const rank = (t: TicketSummary) => priorityRank(schema, t.priority);
    for (const row of tag(s, per(s))) rows.push({ key: sortKey(sort, rank, row), row });
  }
  rows.sort((a, b) => compareKeys(a.key, b.key));
  return (limit ? rows.slice(0, limit) : rows).map((r) => r.row);
}

export function workspaceList(sources: Source[], f: ListFilter & { parent?: string }, only?: string): TicketSummary[] {
  return merge(sources, (s) => listTickets(s.index.db, f), f.sort, f.limit, only);
}

export function workspaceSearch(sources: Source[], text: string, opts: SearchOptions, only?: string): SearchHit[] {
  const hits: SearchHit[] = [];
  for (const s of sources) if (!only || s.name === only) hits.push(...tag(s, searchTickets(s.index.db, text, opts)));
  hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  return opts.limit === undefined ? hits : hits.slice(0, opts.limit);
}

/** Ready across stores: a ticket with an open blocker in another store is not ready. */
export function workspaceReady(ctx: OpContext, sources: Source[], f: ReadyFilter, only?: string): TicketSummary[] {
  const blocked = crossBlockers(ctx, sources);
  return merge(
    sources,
    (s) =>
      readyTickets(s.index.db, { ...f, excludeIds: [...(f.excludeIds ?? []), ...(blocked.get(s.name)?.keys() ?? [])] }),
    'priority',
    f.limit,
    only,
  );
}

/** Blocked across stores: blockers in the same store, plus open blockers from other stores. */
export function workspaceBlocked(ctx: OpContext, sources: Source[], limit?: number, only?: string): BlockedTicket[] {
  const cross = crossBlockers(ctx, sources);
  return merge(
    sources,
    (s) => {
      const rows = blockedTickets(s.index.db);
      const extra = cross.get(s.name) ?? new Map<string, string[]>();
      // Named up to BLOCKERS_SHOWN, counted in full: another store can hold 100,000 blockers of
      // one ticket (spread into push(), they overflowed the call stack).
      for (const r of rows) {
        const more = extra.get(r.id) ?? [];
        for (const b of more.slice(0, Math.max(0, BLOCKERS_SHOWN - r.blocked_by.length))) r.blocked_by.push(b);
        r.blocked_by_count += more.length;
      }
      const listed = new Set(rows.map((r) => r.id));
      for (const [id, by] of extra) {
        if (listed.has(id)) continue;
        const t = getSummary(s.index.db, id);
        if (t && t.category !== 'completed' && t.category !== 'canceled')
          rows.push({ ...t, blocked_by: by.slice(0, BLOCKERS_SHOWN), blocked_by_count: by.length });
      }
      return rows;
    },
    'priority',
    limit,
    only,
  );
}

/** `show` of any ticket of the workspace; blocked_by names blockers in other stores too. */
export function workspaceShow(ctx: OpContext, sources: Source[], input: string, history: boolean) {
  const { source, id } = locate(sources, input, selfName(ctx));
  const details = ticketDetails(source.index.db, id)!;
  details.source = source.name;
  const open = crossBlockers(ctx, sources).get(source.name)?.get(id) ?? [];
  details.blocked_by = [...details.blocked_by, ...open].slice(0, DETAILS_SHOWN);
  details.relation_totals.blocked_by = (details.relation_totals.blocked_by ?? 0) + open.length;
  return { ...details, ...shownHistory(source.index.db, id, history) };
}
