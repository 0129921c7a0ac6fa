import type { DB } from './indexDb.js';
import {
  listWhere,
  RANK_SQL,
  rowToSummary,
  schemaOf,
  selectColumns,
  type ListFilter,
  type TicketSummary,
} from './queries.js';

export interface BoardCards {
  /** Tickets in each state under the filter, all of them. */
  counts: Map<string, number>;
  /** The first cards of each state: ranked ones by rank, then the most recently updated. */
  cards: Map<string, TicketSummary[]>;
}

/**
 * The board's cards under the list filter `f`, at most `limit` (≥ 1) per state (none: all), with
 * how many each state holds. One pass numbers the tickets of each state in the board's
 * order from their ids and sort keys; the rows of the cards shown are the only ones read
 * whole (at 100,000 tickets every open ticket was read into memory and sorted: 1.1 s).
 */
export function boardCards(db: DB, f: ListFilter, limit: number | undefined): BoardCards {
  const schema = schemaOf(db);
  const { where, params } = listWhere(f);
  const rows = db
    .prepare<Record<string, unknown> & { card_state: string; card_n: number }>(
      `SELECT ${selectColumns(schema)}, w.status AS card_state, w.n AS card_n
      FROM (SELECT t.rowid AS rid, t.status, count(*) OVER (PARTITION BY t.status) AS n,
          row_number() OVER (PARTITION BY t.status ORDER BY (${RANK_SQL}) IS NULL, ${RANK_SQL}, t.updated DESC, t.id) AS rn
        FROM tickets t ${where.length ? `WHERE ${where.join(' AND ')}` : ''}) w
      JOIN tickets t ON t.rowid = w.rid
      WHERE w.rn <= ? ORDER BY w.status, w.rn`,
    )
    .all(...params, limit ?? Number.MAX_SAFE_INTEGER);
  const counts = new Map<string, number>();
  const cards = new Map<string, TicketSummary[]>();
  for (const r of rows) {
    counts.set(r.card_state, r.card_n);
    const column = cards.get(r.card_state) ?? [];
    column.push(rowToSummary(schema, r));
    cards.set(r.card_state, column);
  }
  return { counts, cards };
}
