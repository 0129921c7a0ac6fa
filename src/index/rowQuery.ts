import type { DB } from './indexDb.js';
import { leanWhileBuilding } from './leanBuild.js';

/** A query of rows the caller reads as `T`: its SQL, its parameters, and how a row becomes a `T`. */
export interface RowQuery<T> {
  sql: string;
  params: unknown[];
  map: (row: Record<string, unknown>) => T;
}

/** A page: every row at once, on a statement compiled once and kept for the next call. */
export function allOf<T>(db: DB, q: RowQuery<T>): T[] {
  return db
    .prepare<Record<string, unknown>>(q.sql)
    .all(...q.params)
    .map(q.map);
}

/**
 * A page (a limit) at once, as allOf; an answer asked for whole a row at a time, so that one
 * of 100,000 tickets is never held (its statement is compiled for it alone).
 */
export function* rowsOf<T>(db: DB, q: RowQuery<T>, limit: number | undefined): Generator<T> {
  if (limit !== undefined) {
    yield* allOf(db, q);
    return;
  }
  // Every row may be read once: mapped, each page of the index would count in the process's memory.
  const restore = leanWhileBuilding(db);
  try {
    for (const r of db.prepare<Record<string, unknown>>(q.sql).iterate(...q.params)) yield q.map(r);
  } finally {
    restore();
  }
}

/**
 * `(?, ?, …)` for a list of values, or one JSON parameter for a long one: a bulk `close` of
 * 40,000 ids, or every id of a large store, would be more variables than SQLite takes
 * (32,766), and the answer of a write already committed would fail.
 */
export function valueList(values: readonly unknown[], params: unknown[]): string {
  if (values.length <= LISTED_VALUES) {
    params.push(...values);
    return `(${values.map(() => '?').join(', ')})`;
  }
  params.push(JSON.stringify(values));
  return '(SELECT value FROM json_each(?))';
}

/** Values bound one by one (a plan SQLite knows well); more go as one JSON array. */
const LISTED_VALUES = 500;
