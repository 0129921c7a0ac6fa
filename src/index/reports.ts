import { CATEGORIES } from '../model/schema.js';
import { batches } from '../model/batches.js';
import type { DB } from './indexDb.js';
import { listTickets, schemaOf, windowSql, type TicketSummary } from './queries.js';
import { rowsOf, type RowQuery } from './rowQuery.js';

/** A ticket whose state is neither completed nor canceled (an unknown state counts as open). */
const IS_OPEN = "coalesce(t.category, '') NOT IN ('completed', 'canceled')";

export interface GroupCount {
  open: number;
  total: number;
}

/** Progress of an epic (type epic, or any ticket with children) over its direct children. */
export interface EpicProgress
  extends Pick<TicketSummary, 'id' | 'short_id' | 'title' | 'type' | 'status' | 'category'> {
  /** All children, canceled ones included. */
  children: number;
  completed: number;
  canceled: number;
  started: number;
  /** Children that count: all but the canceled ones. */
  total: number;
  /** completed / total, rounded; null without countable children. */
  percent: number | null;
}

export interface Stats {
  total: number;
  open: number;
  closed: number;
  by_category: Array<{ category: string | null; count: number }>;
  by_status: Array<{ status: string; category: string | null; count: number }>;
  /** Rows of by_status, by_priority and by_type in all: the schema's values, then the others found (StatsOptions.limit of them listed). */
  statuses_total: number;
  by_priority: Array<{ priority: string } & GroupCount>;
  priorities_total: number;
  by_type: Array<{ type: string } & GroupCount>;
  types_total: number;
  by_project: Array<{ project: string | null } & GroupCount>;
  /** Projects in all: `by_project` lists the largest (StatsOptions.limit). */
  projects_total: number;
  by_assignee: Array<{ assignee: string | null } & GroupCount>;
  assignees_total: number;
  epics: EpicProgress[];
  epics_total: number;
}

export interface StatsOptions {
  /** Closed epics too. */
  allEpics?: boolean;
  /**
   * At most this many projects, assignees, epics and values the schema does not know listed (undefined: all): values anyone
   * can write into a ticket, so a store can have tens of thousands (30,000 parents made
   * `stats --json` 8.9 MB). Counts cover every ticket.
   */
  limit?: number;
}

type Grouped = { key: string | null } & GroupCount;

/** The largest groups first (at most `limit`), and how many groups there are in all. */
function grouped(db: DB, column: string, limit?: number): { rows: Grouped[]; count: number } {
  const rows = db
    .prepare<Grouped & { groups: number }>(`SELECT t.${column} AS key, count(*) AS total,
      coalesce(sum(${IS_OPEN}), 0) AS open, count(*) OVER () AS groups
    FROM tickets t GROUP BY t.${column} ORDER BY total DESC, key IS NULL, key ${windowSql(limit)}`)
    .all();
  return { rows: rows.map(({ key, total, open }) => ({ key, total, open })), count: rows[0]?.groups ?? 0 };
}

/**
 * Rows for every value the schema lists (zeros included, schema order), then the others found
 * (hand-written values the schema does not know), the largest first, at most `limit` of them;
 * `count`: the rows of the whole list.
 */
function inSchemaOrder<R extends { key: string | null }>(
  rows: R[],
  order: readonly string[],
  zero: (key: string) => R,
  limit?: number,
): { rows: R[]; count: number } {
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const known = new Set(order);
  const others = rows.filter((r) => r.key === null || !known.has(r.key));
  const listed = [...order.map((k) => byKey.get(k) ?? zero(k)), ...others.slice(0, limit)];
  return { rows: listed, count: order.length + others.length };
}

export function statsReport(db: DB, opts: StatsOptions = {}): Stats {
  const schema = schemaOf(db);
  const totals = db
    .prepare<GroupCount>(`SELECT count(*) AS total, coalesce(sum(${IS_OPEN}), 0) AS open FROM tickets t`)
    .get()!;
  const zero = (key: string): Grouped => ({ key, open: 0, total: 0 });
  const cats = grouped(db, 'category').rows;
  const byCategory = inSchemaOrder(cats, CATEGORIES, zero).rows.filter((r) => r.key !== null || r.total > 0);
  const statusRows = db
    .prepare<{ key: string; category: string | null; count: number }>(
      'SELECT t.status AS key, t.category, count(*) AS count FROM tickets t GROUP BY t.status ORDER BY count DESC, key',
    )
    .all();
  const categoryOf = new Map(schema.states.map((s) => [s.name, s.category as string | null]));
  const statuses = inSchemaOrder(
    statusRows,
    schema.states.map((s) => s.name),
    (key) => ({ key, category: categoryOf.get(key) ?? null, count: 0 }),
    opts.limit,
  );
  const priorities = inSchemaOrder(grouped(db, 'priority').rows, schema.priorities, zero, opts.limit);
  const types = inSchemaOrder(grouped(db, 'type').rows, schema.types, zero, opts.limit);
  const projects = grouped(db, 'project', opts.limit);
  const assignees = grouped(db, 'assignee', opts.limit);
  const epics = epicProgress(db, opts.allEpics ?? false, opts.limit);
  return {
    total: totals.total,
    open: totals.open,
    closed: totals.total - totals.open,
    by_category: byCategory.map((r) => ({ category: r.key, count: r.total })),
    by_status: statuses.rows.map((r) => ({ status: r.key, category: r.category, count: r.count })),
    statuses_total: statuses.count,
    by_priority: priorities.rows.map((r) => ({ priority: r.key ?? '', open: r.open, total: r.total })),
    priorities_total: priorities.count,
    by_type: types.rows.map((r) => ({ type: r.key ?? '', open: r.open, total: r.total })),
    types_total: types.count,
    by_project: projects.rows.map((r) => ({ project: r.key, open: r.open, total: r.total })),
    projects_total: projects.count,
    by_assignee: assignees.rows.map((r) => ({ assignee: r.key, open: r.open, total: r.total })),
    assignees_total: assignees.count,
    epics: epics.rows,
    epics_total: epics.total,
  };
}

/** The epics in progress order (at most `limit`), and how many there are in all. */
export function epicProgress(db: DB, all: boolean, limit?: number): { rows: EpicProgress[]; total: number } {
  const rows = db
    .prepare<
      Omit<EpicProgress, 'total' | 'percent'> & { epics: number }
    >(`SELECT t.id, t.short_id, t.title, t.type, t.status, t.category,
      count(*) OVER () AS epics, count(c.id) AS children,
      coalesce(sum(c.category = 'completed'), 0) AS completed,
      coalesce(sum(c.category = 'canceled'), 0) AS canceled,
      coalesce(sum(c.category = 'started'), 0) AS started
    FROM tickets t LEFT JOIN tickets c ON c.parent = t.id AND c.id != t.id
    WHERE (t.type = 'epic' OR EXISTS (SELECT 1 FROM tickets k WHERE k.parent = t.id AND k.id != t.id))
      ${all ? '' : `AND ${IS_OPEN}`}
    GROUP BY t.id
    ORDER BY CASE t.category WHEN 'started' THEN 0 WHEN 'unstarted' THEN 1 WHEN 'backlog' THEN 2 WHEN 'triage' THEN 3
      WHEN 'completed' THEN 4 WHEN 'canceled' THEN 5 ELSE 6 END, t.priority_rank, t.created, t.id ${windowSql(limit)}`)
    .all();
  return {
    total: rows[0]?.epics ?? 0,
    rows: rows.map(({ epics: _, ...r }) => {
      const total = r.children - r.canceled;
      return { ...r, total, percent: total > 0 ? Math.round((100 * r.completed) / total) : null };
    }),
  };
}

export interface StaleTicket extends TicketSummary {
  /** Whole days since `updated` (or `created` when a hand edit left no `updated`). */
  idle_days: number;
}

const LAST_TOUCH = "coalesce(nullif(t.updated, ''), t.created)";

const STALE_WHERE = `${IS_OPEN} AND julianday(${LAST_TOUCH}) < julianday(?)`;

/** How many tickets `staleRows` would answer without a limit. */
export function countStale(db: DB, before: string): number {
  return db.prepare<{ n: number }>(`SELECT count(*) AS n FROM tickets t WHERE ${STALE_WHERE}`).get(before)!.n;
}

/**
 * Open work not updated since `before` (ISO time), oldest first, read as rowsOf reads:
 * unbounded, a batch of summaries at a time (100,000 ids in one `IN` list were more
 * variables than SQLite takes).
 */
export function* staleRows(
  db: DB,
  now: string,
  before: string,
  limit?: number,
  offset?: number,
): Generator<StaleTicket> {
  const q: RowQuery<IdleRow> = {
    sql: staleSql(limit, offset),
    params: [now, before],
    map: (r) => ({ id: String(r.id), idle: Number(r.idle) }),
  };
  for (const batch of batches(rowsOf(db, q, limit), STALE_BATCH)) yield* withSummaries(db, batch);
}

/** Tickets whose summaries one query reads (an `IN` list of this many ids). */
const STALE_BATCH = 500;

interface IdleRow {
  id: string;
  idle: number;
}

function staleSql(limit?: number, offset?: number): string {
  return `SELECT t.id, julianday(?) - julianday(${LAST_TOUCH}) AS idle FROM tickets t
    WHERE ${STALE_WHERE}
    ORDER BY julianday(${LAST_TOUCH}), t.id ${windowSql(limit, offset)}`;
}

function withSummaries(db: DB, rows: IdleRow[]): StaleTicket[] {
  if (rows.length === 0) return [];
  const byId = new Map(listTickets(db, { ids: rows.map((r) => r.id), all: true }).map((t) => [t.id, t]));
  return rows.map((r) => ({ ...byId.get(r.id)!, idle_days: Math.floor(r.idle) }));
}
