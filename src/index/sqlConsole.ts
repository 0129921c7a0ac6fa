import { TackError } from '../model/errors.js';
import type { DB, Index } from './indexDb.js';
import { openDatabase, type Statement } from './sqlite.js';

export type SqlRow = Record<string, unknown>;

function sqlError(e: unknown, sql: string): TackError {
  const message = e instanceof Error ? e.message : String(e);
  return new TackError('sql_error', `SQL error: ${message}; in: ${sql.trim().slice(0, 200)}`, { sql, sqlite: message });
}

function prepare(db: DB, sql: string, exact = false): Statement<SqlRow> {
  try {
    return exact ? db.prepareExact<SqlRow>(sql) : db.prepare<SqlRow>(sql);
  } catch (e) {
    throw sqlError(e, sql);
  }
}

function describe(db: DB, sql: string): { reader: boolean; readonly: boolean } {
  try {
    return db.describe(sql);
  } catch (e) {
    throw sqlError(e, sql);
  }
}

/** Rows as JSON can carry them: blobs become hex, big integers strings. */
function jsonSafe(row: SqlRow): SqlRow {
  row = { ...row };
  for (const [k, v] of Object.entries(row)) {
    if (v instanceof Uint8Array) row[k] = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
    else if (typeof v === 'bigint') row[k] = Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  }
  return row;
}

/**
 * Run one read-only statement. The live index is queried through a second connection
 * opened read-only, so even a pragma that acts while being prepared cannot touch the
 * index; a `--at` snapshot is a throwaway in-memory database.
 */
export function queryReadOnly(idx: Index, sql: string, params: readonly unknown[] = []): SqlRow[] {
  const own = idx.path !== ':memory:';
  const db = own ? openDatabase(idx.path, { readonly: true }) : idx.db;
  try {
    const info = describe(db, sql);
    if (!info.readonly) {
      throw new TackError(
        'read_only',
        'refused: this statement would write to the index, which is only a cache of git; expected a read ' +
          '(SELECT, WITH, read PRAGMAs), or --write with an UPDATE of the tickets table (it becomes a commit)',
        { sql },
      );
    }
    if (!info.reader) {
      throw new TackError(
        'invalid_input',
        `expected a query that returns rows (SELECT, WITH, read PRAGMAs); received a statement that returns none: ${sql.trim().slice(0, 80)}`,
        { sql },
      );
    }
    const stmt = prepare(db, sql, true);
    try {
      return stmt.all(...params).map(jsonSafe);
    } catch (e) {
      throw sqlError(e, sql);
    }
  } finally {
    if (own) db.close();
  }
}

/** One cell an UPDATE changed in the tickets table. */
export interface CellChange {
  id: string;
  column: string;
  old: unknown;
  new: unknown;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

/**
 * What an UPDATE of the tickets table would change, cell by cell, without changing
 * anything: it runs inside a savepoint that is always rolled back (git is the truth;
 * the caller turns the changes into a commit). Temp triggers capture the affected rows.
 */
export function previewTicketUpdate(
  db: DB,
  sql: string,
  params: readonly unknown[] = [],
): { matched: number; changes: CellChange[] } {
  if (describe(db, sql).readonly)
    throw new TackError('invalid_input', 'expected an UPDATE statement; this one changes nothing', { sql });
  db.exec('SAVEPOINT tack_sql_preview');
  try {
    db.exec(`CREATE TEMP TABLE tack_sql_old AS SELECT rowid AS tack_rowid, * FROM main.tickets WHERE 0;
      CREATE TEMP TRIGGER tack_sql_capture BEFORE UPDATE ON main.tickets BEGIN
        INSERT INTO tack_sql_old SELECT rowid, * FROM main.tickets WHERE rowid = old.rowid;
      END;
      CREATE TEMP TRIGGER tack_sql_insert BEFORE INSERT ON main.tickets BEGIN SELECT RAISE(ABORT, 'tack sql --write cannot insert tickets'); END;
      CREATE TEMP TRIGGER tack_sql_delete BEFORE DELETE ON main.tickets BEGIN SELECT RAISE(ABORT, 'tack sql --write cannot delete tickets'); END;`);
    const stmt = prepare(db, sql);
    try {
      if (describe(db, sql).reader) stmt.all(...params);
      else stmt.run(...params);
    } catch (e) {
      throw sqlError(e, sql);
    }
    const before = db.prepare<SqlRow>('SELECT * FROM temp.tack_sql_old').all();
    const afterStmt = db.prepare<SqlRow>('SELECT rowid AS tack_rowid, * FROM main.tickets WHERE rowid = ?');
    const changes: CellChange[] = [];
    for (const old of before) {
      const now = afterStmt.get(old.tack_rowid);
      if (!now) {
        throw new TackError(
          'read_only',
          `the UPDATE moved ticket ${String(old.id)} to another rowid; rowid and id cannot be written`,
          { sql },
        );
      }
      for (const col of Object.keys(old)) {
        if (col === 'tack_rowid' || sameValue(old[col], now[col])) continue;
        changes.push({ id: String(old.id), column: col, old: old[col], new: now[col] });
      }
    }
    return { matched: before.length, changes };
  } finally {
    db.exec('ROLLBACK TO tack_sql_preview; RELEASE tack_sql_preview');
  }
}
