import type { z } from 'zod';
import { allOf, rowsOf, valueList, type RowQuery } from './rowQuery.js';
import type { ticketSummaryShape } from '../model/jsonShapes.js';
import type { DB } from './indexDb.js';
import { indexedSchema } from './indexDb.js';
import { TackError } from '../model/errors.js';
import { CATEGORIES, containerTypes, type Schema } from '../model/schema.js';

/** A ticket as every list-like answer shows it (the stable `--json` shape). */
export type TicketSummary = z.infer<ReturnType<typeof ticketSummaryShape>>;

export interface ListFilter {
  status?: string[];
  category?: string[];
  type?: string[];
  label?: string[];
  assignee?: string[];
  /** The ticket's explicit `owner` field ("none": tickets without one). */
  owner?: string[];
  priority?: string[];
  project?: string[];
  parent?: string;
  ids?: string[];
  all?: boolean;
  /** Archived tickets only (`all` includes them with everything else). */
  archived?: boolean;
  /** Only tickets with this review verdict (the `verdict` field; `any`: either). */
  reviewed?: 'any' | 'approved' | 'rejected';
  limit?: number;
  /** Skip this many first (paging). */
  offset?: number;
  sort?: 'priority' | 'created' | 'updated' | 'title' | 'id' | 'status' | 'workflow';
}

/** `LIMIT … OFFSET …` for one page; numbers only, never text from the input. */
export function windowSql(limit?: number, offset?: number): string {
  const l = limit ? Math.max(0, Math.floor(limit)) : -1;
  const o = offset ? Math.max(0, Math.floor(offset)) : 0;
  return l < 0 && o === 0 ? '' : `LIMIT ${l} OFFSET ${o}`;
}

/** workflowRank (model/schema.ts) as SQL: CATEGORIES' order, none after. */
const WORKFLOW_RANK_SQL = `CASE t.category ${CATEGORIES.map((c, i) => `WHEN '${c}' THEN ${i}`).join(' ')} ELSE ${CATEGORIES.length} END`;

const SORTS: Record<NonNullable<ListFilter['sort']>, string> = {
  status: 't.category_rank, t.priority_rank, t.created',
  priority: 't.priority_rank, t.created',
  created: 't.created DESC',
  updated: 't.updated DESC',
  title: 't.title COLLATE NOCASE',
  id: 't.id',
  // The web list's order (web/src/ticketOrder.ts), so a first screen of it can be asked for.
  workflow: `${WORKFLOW_RANK_SQL}, t.priority_rank, t.updated DESC`,
};

export function schemaOf(db: DB): Schema {
  const s = indexedSchema(db);
  if (!s) throw new Error('index has no schema');
  return s;
}

/** A ticket's rank (front-matter `rank`, set by the web board) when it is a number; else NULL. */
export const RANK_SQL = `CASE WHEN instr(t.fields, '"rank"') > 0 AND json_type(t.fields, '$.rank') IN ('integer', 'real')
  THEN json_extract(t.fields, '$.rank') END`;

/** The columns of a TicketSummary row (rowToSummary), from `tickets t`. */
export function selectColumns(schema: Schema): string {
  const custom = schema.fields.map((f) => `, t."${f.name}"`).join('');
  return `t.id, t.short_id, t.title, t.type, t.status, t.category, t.priority, t.assignee, t.parent, t.project,
    t.created, t.updated, t.resolution,
    (SELECT json_group_array(label) FROM (SELECT label FROM labels WHERE ticket = t.id ORDER BY label)) AS labels_json,
    ${RANK_SQL} AS rank_key${custom}`;
}

export function rowToSummary(schema: Schema, row: Record<string, unknown>): TicketSummary {
  const out: TicketSummary = {
    id: row.id as string,
    short_id: row.short_id as string,
    title: row.title as string,
    type: row.type as string,
    status: row.status as string,
    category: (row.category as string | null) ?? null,
    priority: row.priority as string,
    labels: JSON.parse((row.labels_json as string) ?? '[]') as string[],
    assignee: (row.assignee as string | null) ?? null,
    parent: (row.parent as string | null) ?? null,
    project: (row.project as string | null) ?? null,
    created: row.created as string,
    updated: row.updated as string,
    resolution: (row.resolution as string | null) ?? null,
    source: 'local',
  };
  // The board's order within a column (front-matter `rank`); only present when set.
  if (typeof row.rank_key === 'number') out.rank = row.rank_key;
  for (const f of schema.fields) {
    let v = row[f.name] ?? null;
    if (v !== null && f.type === 'bool') v = v === 1;
    if (v !== null && f.type === 'list') v = JSON.parse(v as string);
    out[f.name] = v;
  }
  return out;
}

function inClause(col: string, values: readonly string[] | undefined, where: string[], params: unknown[]): void {
  if (!values || values.length === 0) return;
  where.push(`${col} IN ${valueList(values, params)}`);
}

/** A filter on a person column: any of the names, "none" for no one. */
function personClause(col: string, values: readonly string[] | undefined, where: string[], params: unknown[]): void {
  if (!values?.length) return;
  const named = values.filter((a) => a !== 'none');
  const parts: string[] = [];
  if (named.length) {
    parts.push(`${col} IN (${named.map(() => '?').join(', ')})`);
    params.push(...named);
  }
  if (values.includes('none')) parts.push(`${col} IS NULL`);
  where.push(`(${parts.join(' OR ')})`);
}

/** The WHERE terms of a list filter, over `tickets t`, with their parameters. */
export function listWhere(f: ListFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (!f.all && !f.archived && !f.status?.length && !f.category?.length && !f.ids?.length && !f.reviewed) {
    where.push("coalesce(t.category, '') NOT IN ('completed', 'canceled')");
  }
  if (f.archived) where.push('t.archived = 1');
  else if (!f.all && !f.ids?.length) where.push('t.archived = 0');
  inClause('t.status', f.status, where, params);
  // Through the expression of the tickets_open index (a NULL category is never asked for:
  // '' is left out, so it still matches nothing), which the planner then searches.
  if (f.category?.length) {
    const named = f.category.filter((c) => c !== '');
    where.push(named.length ? `coalesce(t.category, '') IN (${named.map(() => '?').join(', ')})` : '0');
    params.push(...named);
  }
  if (f.reviewed === 'any') where.push('t.verdict IS NOT NULL');
  else if (f.reviewed) {
    where.push('t.verdict = ?');
    params.push(f.reviewed);
  }
  inClause('t.type', f.type, where, params);
  inClause('t.priority', f.priority, where, params);
  inClause('t.project', f.project, where, params);
  inClause('t.id', f.ids, where, params);
  personClause('t.assignee', f.assignee, where, params);
  personClause('t.owner', f.owner, where, params);
  for (const l of f.label ?? []) {
    where.push('EXISTS (SELECT 1 FROM labels l WHERE l.ticket = t.id AND l.label = ?)');
    params.push(l);
  }
  if (f.parent) {
    where.push('t.parent = ?');
    params.push(f.parent);
  }
  return { where, params };
}

const whereSql = (where: string[]) => (where.length ? `WHERE ${where.join(' AND ')}` : '');

/** The query of a list filter: `columns` of its tickets in its order and window. */
function listSql(columns: string, f: ListFilter): { sql: string; params: unknown[] } {
  const { where, params } = listWhere(f);
  return {
    sql: `SELECT ${columns} FROM tickets t ${whereSql(where)}
    ORDER BY ${SORTS[f.sort ?? 'status']}, t.id ${windowSql(f.limit, f.offset)}`,
    params,
  };
}

export function listTickets(db: DB, f: ListFilter = {}): TicketSummary[] {
  return allOf(db, listQuery(db, f));
}

/** listTickets' answer as rowsOf reads it. */
export function listedRows(db: DB, f: ListFilter = {}): Iterable<TicketSummary> {
  return rowsOf(db, listQuery(db, f), f.limit);
}

function listQuery(db: DB, f: ListFilter): RowQuery<TicketSummary> {
  const schema = schemaOf(db);
  return { ...listSql(selectColumns(schema), f), map: (r) => rowToSummary(schema, r) };
}

/** The ids `listTickets` would answer, in its order (an export reads each ticket itself). */
export function listTicketIds(db: DB, f: ListFilter = {}): string[] {
  const { sql, params } = listSql('t.id', f);
  return db
    .prepare<{ id: string }>(sql)
    .all(...params)
    .map((r) => r.id);
}

/** How many tickets `listTickets` would answer without a limit. */
export function countTickets(db: DB, f: ListFilter = {}): number {
  const { where, params } = listWhere(f);
  return db.prepare<{ n: number }>(`SELECT count(*) AS n FROM tickets t ${whereSql(where)}`).get(...params)!.n;
}

/**
 * The ticket's assignee took it with a claim that has expired (parameter: now): the agent
 * went away mid-work, so the ticket counts as ready again until someone claims it. Work
 * handed in for review is the reviewer's to move, not the pile's.
 */
const EXPIRED_CLAIM = `t.status <> 'in-review' AND EXISTS (SELECT 1 FROM claims c
  WHERE c.ticket = t.id AND c.expires <= ? AND c.owner = t.assignee)`;

/** The expired claims behind started tickets that `ready` offers again: ticket → holder and expiry. */
export function expiredClaims(
  db: DB,
  ids: readonly string[],
  now: string,
): Map<string, { owner: string; expires: string }> {
  const q = db.prepare<{
    owner: string;
    expires: string;
  }>(`SELECT c.owner, c.expires FROM claims c JOIN tickets t ON t.id = c.ticket
    WHERE c.ticket = ? AND t.category = 'started' AND t.status <> 'in-review'
      AND c.expires <= ? AND c.owner = t.assignee`);
  const out = new Map<string, { owner: string; expires: string }>();
  for (const id of ids) {
    const r = q.get(id, now);
    if (r) out.set(id, { owner: r.owner, expires: r.expires });
  }
  return out;
}

/** Open tickets blocking `t`: `b blocks t` with b not completed or canceled. */
const OPEN_BLOCKER = `EXISTS (SELECT 1 FROM relations r JOIN tickets b ON b.id = r.src
  WHERE r.kind = 'blocks' AND r.dst = t.id AND coalesce(b.category, '') NOT IN ('completed', 'canceled'))`;

export interface ReadyFilter {
  me?: string | null;
  limit?: number;
  offset?: number;
  type?: string[];
  label?: string[];
  excludeIds?: string[];
  /** Only work for this audience (the `audience` field): agent = marked agent; human = not marked agent. */
  audience?: 'agent' | 'human';
  /** Hide tickets with a lease that is live at `now` and held by someone other than `me`. */
  claims?: { me: string; now: string };
}

function readyWhere(schema: Schema, f: ReadyFilter): { where: string[]; params: unknown[] } {
  // `+` keeps these terms off their indexes, so SQLite walks the priority order and stops
  // at the limit instead of sorting every ready ticket. The count reads them from the
  // covering tickets_assignee instead (ddl.ts). The subqueries come last: SQLite tests the
  // terms in this order, so most tickets are left out before any subquery runs.
  const where: string[] = [];
  const params: unknown[] = [];
  const unstarted = "+t.category IN ('backlog', 'unstarted')";
  const waiting = schema.states.filter((s) => s.waiting).map((s) => s.name);
  if (waiting.length) {
    where.push(`+t.status NOT IN (${waiting.map(() => '?').join(', ')})`);
    params.push(...waiting);
  }
  if (f.audience) {
    if (!schema.fields.some((x) => x.name === 'audience')) {
      throw new TackError(
        'invalid_schema',
        'ready --for needs an "audience" field in schema.yaml, which this store lacks (made before agent support); run `tack setup agents` to add it',
        { missing: ['field audience'] },
      );
    }
    // Without `+`: the agents' own index (ddl.ts, tickets_for_agents) gives this order.
    where.push(f.audience === 'agent' ? "t.audience = 'agent'" : "coalesce(+t.audience, '') != 'agent'");
  }
  const mine = f.me ? '(+t.assignee IS NULL OR +t.assignee = ?)' : '+t.assignee IS NULL';
  if (f.claims) {
    // Started work whose holder's claim expired is free again: ready offers it (see EXPIRED_CLAIM).
    where.push(`((${unstarted} AND ${mine}) OR (+t.category = 'started' AND ${EXPIRED_CLAIM}))`);
    if (f.me) params.push(f.me);
    params.push(f.claims.now);
  } else {
    where.push(unstarted, mine);
    if (f.me) params.push(f.me);
  }
  inClause('t.type', f.type, where, params);
  // Containers (epics, specs, notes) hold work rather than being work; asked for by type, they are offered.
  const containers = f.type?.length ? [] : containerTypes(schema);
  if (containers.length) {
    where.push(`+t.type NOT IN (${containers.map(() => '?').join(', ')})`);
    params.push(...containers);
  }
  for (const l of f.label ?? []) {
    where.push('EXISTS (SELECT 1 FROM labels l WHERE l.ticket = t.id AND l.label = ?)');
    params.push(l);
  }
  if (f.claims) {
    where.push('NOT EXISTS (SELECT 1 FROM claims c WHERE c.ticket = t.id AND c.expires > ? AND c.owner IS NOT ?)');
    params.push(f.claims.now, f.claims.me);
  }
  if (f.excludeIds?.length) where.push(`t.id NOT IN ${valueList(f.excludeIds, params)}`);
  where.push(`NOT ${OPEN_BLOCKER}`);
  return { where, params };
}

/** Ready: not started (backlog/unstarted), no open blocker, not someone else's; by priority, then age. */
export function readyTickets(db: DB, f: ReadyFilter = {}): TicketSummary[] {
  return allOf(db, readyQuery(db, f));
}

/** readyTickets' answer as rowsOf reads it. */
export function readyRows(db: DB, f: ReadyFilter = {}): Iterable<TicketSummary> {
  return rowsOf(db, readyQuery(db, f), f.limit);
}

function readyQuery(db: DB, f: ReadyFilter): RowQuery<TicketSummary> {
  const schema = schemaOf(db);
  const { where, params } = readyWhere(schema, f);
  const sql = `SELECT ${selectColumns(schema)} FROM tickets t ${whereSql(where)}
    ORDER BY t.priority_rank, t.created, t.id ${windowSql(f.limit, f.offset)}`;
  return { sql, params, map: (r) => rowToSummary(schema, r) };
}

/** How many tickets `readyTickets` would answer without a limit. */
export function countReady(db: DB, f: ReadyFilter = {}): number {
  const { where, params } = readyWhere(schemaOf(db), f);
  return db.prepare<{ n: number }>(`SELECT count(*) AS n FROM tickets t ${whereSql(where)}`).get(...params)!.n;
}

export interface BlockedTicket extends TicketSummary {
  /** The open blockers, the first BLOCKERS_SHOWN by id. */
  blocked_by: string[];
  /** How many open blockers in all. */
  blocked_by_count: number;
}

/**
 * Blockers named per ticket: anyone can make 20,000 tickets block one (its line was 260 KB);
 * `blocked_by_count` counts them all.
 */
export const BLOCKERS_SHOWN = 20;

/**
 * Open tickets with an open blocker, found from the `blocks` edges (the same test as
 * OPEN_BLOCKER): the cost follows the edges, not the store (at 100,000 tickets the scan of
 * every ticket for one took 0.22 s and read most of the tickets table).
 */
const BLOCKED_WHERE = `t.id IN (SELECT r.dst FROM relations r JOIN tickets b ON b.id = r.src
    WHERE r.kind = 'blocks' AND coalesce(b.category, '') NOT IN ('completed', 'canceled'))
  AND coalesce(t.category, '') NOT IN ('completed', 'canceled')`;

const OPEN_SRC = "coalesce(b.category, '') NOT IN ('completed', 'canceled')";

export function blockedTickets(db: DB, limit?: number, offset?: number): BlockedTicket[] {
  return allOf(db, blockedQuery(db, limit, offset));
}

/** blockedTickets' answer as rowsOf reads it. */
export function blockedRows(db: DB, limit?: number, offset?: number): Iterable<BlockedTicket> {
  return rowsOf(db, blockedQuery(db, limit, offset), limit);
}

function blockedQuery(db: DB, limit?: number, offset?: number): RowQuery<BlockedTicket> {
  const schema = schemaOf(db);
  const sql = `SELECT ${selectColumns(schema)},
    (SELECT json_group_array(src) FROM (SELECT r.src AS src FROM relations r JOIN tickets b ON b.id = r.src
      WHERE r.kind = 'blocks' AND r.dst = t.id AND ${OPEN_SRC} ORDER BY r.src LIMIT ${BLOCKERS_SHOWN})) AS blockers,
    (SELECT count(*) FROM relations r JOIN tickets b ON b.id = r.src
      WHERE r.kind = 'blocks' AND r.dst = t.id AND ${OPEN_SRC}) AS blocker_count
    FROM tickets t WHERE ${BLOCKED_WHERE}
    ORDER BY t.priority_rank, t.created, t.id ${windowSql(limit, offset)}`;
  return {
    sql,
    params: [],
    map: (r) => ({
      ...rowToSummary(schema, r),
      blocked_by: JSON.parse(r.blockers as string) as string[],
      blocked_by_count: r.blocker_count as number,
    }),
  };
}

export function countBlocked(db: DB): number {
  return db.prepare<{ n: number }>(`SELECT count(*) AS n FROM tickets t WHERE ${BLOCKED_WHERE}`).get()!.n;
}

/**
 * `blocks` edges from an open ticket to something that is not a ticket of this store
 * (`planning:tk-3fa9`, or a bare id of another store): what a workspace resolves across stores.
 */
export function openOutsideBlocks(db: DB): Array<{ src: string; dst: string }> {
  return db
    .prepare<{ src: string; dst: string }>(`SELECT r.src, r.dst FROM relations r JOIN tickets b ON b.id = r.src
    WHERE r.kind = 'blocks' AND coalesce(b.category, '') NOT IN ('completed', 'canceled') AND b.archived = 0
      AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.id = r.dst)`)
    .all();
}

export function getSummary(db: DB, id: string): TicketSummary | null {
  const schema = schemaOf(db);
  const row = db
    .prepare<Record<string, unknown>>(`SELECT ${selectColumns(schema)} FROM tickets t WHERE t.id = ?`)
    .get(id);
  return row ? rowToSummary(schema, row) : null;
}

export interface FileProblem {
  path: string;
  line: number;
  message: string;
}

/** Files the index could not read (or read with schema violations): named, with the line; the first `limit`. */
export function listProblems(db: DB, limit?: number): FileProblem[] {
  return db.prepare<FileProblem>(`SELECT path, line, message FROM problems ORDER BY path ${windowSql(limit)}`).all();
}

export function countProblems(db: DB): number {
  return db.prepare<{ n: number }>('SELECT count(*) AS n FROM problems').get()!.n;
}
