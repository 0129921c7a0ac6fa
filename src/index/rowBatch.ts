import type { Database, SqlParam, Statement } from './sqlite.js';

/** Rows sent in one INSERT: SQLite's limit on parameters (32,766) is far; past ~64 rows nothing is gained. */
const ROWS_AT_ONCE = 64;

/**
 * Rows for one INSERT, sent many to a statement: a full build writes ~7 history rows a
 * ticket, and a statement run a row cost more in calls and result objects than SQLite's own
 * work (measured in bench/README.md). The rows go in the order they were added, so the
 * table is the same as one written row by row. `flush` before anything reads the table.
 */
export class RowBatch {
  private readonly values: SqlParam[] = [];
  private readonly many: Statement;
  private readonly one: Statement;

  /** `insert`: the statement up to VALUES (`INSERT OR IGNORE INTO t(a, b)`), for rows of `columns` values. */
  constructor(
    db: Database,
    insert: string,
    private readonly columns: number,
  ) {
    const row = `(${Array(columns).fill('?').join(', ')})`;
    this.one = db.prepare(`${insert} VALUES ${row}`);
    this.many = db.prepare(`${insert} VALUES ${Array(ROWS_AT_ONCE).fill(row).join(', ')}`);
  }

  add(...row: SqlParam[]): void {
    if (row.length !== this.columns)
      throw new Error(`RowBatch: a row of ${row.length} values, expected ${this.columns}`);
    for (const v of row) this.values.push(v);
    if (this.values.length === ROWS_AT_ONCE * this.columns) this.sendAll();
  }

  /** Send the rows held (fewer than a batch: one statement each). */
  flush(): void {
    for (let i = 0; i < this.values.length; i += this.columns) this.one.run(...this.values.slice(i, i + this.columns));
    this.values.length = 0;
  }

  private sendAll(): void {
    this.many.run(...this.values);
    this.values.length = 0;
  }
}
