import { monotonicMs } from '../model/monotonic.js';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { TackError } from '../model/errors.js';

/**
 * The one door to SQLite: Node's built-in `node:sqlite` (Node ≥ 22.16), which ships
 * SQLite with FTS5, so installing Tack compiles nothing. Everything else in the index
 * talks to this small interface, and src/index/sqlite.test.ts is its conformance suite.
 */

/** What a statement binds: the values SQLite stores (blobs as bytes). */
export type SqlParam = null | number | bigint | string | Uint8Array;

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/**
 * A prepared statement whose rows have the shape `Row`, declared once where the SQL is
 * written (`db.prepare<{ id: string }>('SELECT id FROM tickets')`). SQLite cannot check
 * that shape and nothing checks it per row (reads are a hot path): the declaration is
 * the one place a query's columns and its TypeScript type meet, so keep them side by side.
 * A statement over a table the user wrote (`tack sql`) keeps `Record<string, unknown>`.
 * `scripts/check-layers.mjs` refuses an `as` on a `.get()`/`.all()`/`.iterate()` result.
 */
export interface Statement<Row = unknown, Params extends unknown[] = unknown[]> {
  run(...params: Params): RunResult;
  get(...params: Params): Row | undefined;
  all(...params: Params): Row[];
  iterate(...params: Params): IterableIterator<Row>;
}

/** A function that runs `fn` in a transaction (a savepoint when one is already open). */
export interface Transaction<A extends unknown[], R> {
  (...args: A): R;
  /** BEGIN IMMEDIATE: take the write lock before reading, so no other writer interleaves. */
  immediate(...args: A): R;
}

export interface Database {
  readonly path: string;
  prepare<Row = unknown, Params extends unknown[] = unknown[]>(sql: string): Statement<Row, Params>;
  exec(sql: string): void;
  /** `PRAGMA source`: all rows, or with `simple` the first column of the first row. */
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): Transaction<A, R>;
  /** BEGIN IMMEDIATE, waiting for another process's write up to `writeWaitMs()`; past it an `unavailable` error. */
  beginImmediate(): void;
  readonly inTransaction: boolean;
  readonly open: boolean;
  close(): void;
  /** A statement that reads integers as bigint (none is too large) and blobs as bytes. */
  prepareExact<Row = unknown, Params extends unknown[] = unknown[]>(sql: string): Statement<Row, Params>;
  /** Whether a statement returns rows, and whether it can change any database. */
  describe(sql: string): { reader: boolean; readonly: boolean };
}

type SqliteModule = typeof import('node:sqlite');
let sqlite: SqliteModule | undefined;

/**
 * Node 22 announces node:sqlite with an ExperimentalWarning on stderr when the module is
 * first loaded; that line would land in every command's output. Only that one warning,
 * emitted while the module loads, is dropped: every other warning still prints.
 */
function loadSqlite(): SqliteModule {
  if (sqlite) return sqlite;
  const emit = process.emitWarning;
  process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]): void {
    const text = typeof warning === 'string' ? warning : warning.message;
    const type =
      typeof rest[0] === 'string'
        ? rest[0]
        : ((rest[0] as { type?: string } | undefined)?.type ?? (warning as Error).name);
    if (type === 'ExperimentalWarning' && /SQLite/.test(text)) return;
    (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    // getBuiltinModule (Node ≥ 22.3) is synchronous and works from ESM and CJS alike.
    sqlite =
      typeof process.getBuiltinModule === 'function'
        ? (process.getBuiltinModule('node:sqlite') as SqliteModule | undefined)
        : undefined;
  } finally {
    process.emitWarning = emit;
  }
  if (!sqlite) throw new Error(`Tack needs Node 22.16 or later (node:sqlite); this is Node ${process.version}`);
  return sqlite;
}

/** Opcodes whose presence makes a program a writer (SQLite's own sqlite3_stmt_readonly rules). */
const WRITE_OPCODES = new Set([
  'OpenWrite',
  'Checkpoint',
  'Vacuum',
  'IncrVacuum',
  'JournalMode',
  'VUpdate',
  'VCreate',
  'VDestroy',
  'CreateBtree',
  'Destroy',
  'Clear',
  'ParseSchema',
  'DropTable',
  'DropIndex',
  'DropTrigger',
  'SetCookie',
]);

/**
 * SQLite compiles the first statement of a string and node:sqlite silently drops the
 * rest; a second statement that never runs is a surprise, so it is refused instead.
 */
function single(stmt: StatementSync, sql: string): StatementSync {
  const compiled = stmt.sourceSQL.length;
  if (compiled < sql.length && sql.slice(compiled).replace(/--[^\n]*|\/\*[\s\S]*?(\*\/|$)|[\s;]/g, '') !== '') {
    throw new Error('The supplied SQL string contains more than one statement');
  }
  return stmt;
}

/** Compiled statements kept per connection, by their SQL text (the oldest goes first). */
const STATEMENT_CACHE = 256;

/**
 * A statement compiled once and run again: `run`, `get` and `all` finish before they
 * return, so sharing is safe; `iterate` gets a statement of its own, since a loop over it
 * could run the same SQL inside and reset it mid-way.
 */
class SharedStatement {
  constructor(
    private readonly stmt: StatementSync,
    private readonly fresh: () => StatementSync,
  ) {}
  run(...params: SqlParam[]) {
    return this.stmt.run(...params);
  }
  get(...params: SqlParam[]) {
    return this.stmt.get(...params);
  }
  all(...params: SqlParam[]) {
    return this.stmt.all(...params);
  }
  iterate(...params: SqlParam[]) {
    return this.fresh().iterate(...params);
  }
}

class NodeDatabase implements Database {
  private seq = 0;
  /*
   * A long-lived process (the server, its lanes) runs the same statements for every request;
   * compiling one each time was a tenth of the server's CPU under load.
   */
  private readonly statements = new Map<string, SharedStatement>();
  constructor(
    private db: DatabaseSync,
    readonly path: string,
  ) {}

  // The one cast from node:sqlite's untyped rows to the shape the caller declared.
  prepare<Row = unknown, Params extends unknown[] = unknown[]>(sql: string): Statement<Row, Params> {
    let s = this.statements.get(sql);
    if (!s) {
      s = new SharedStatement(single(this.db.prepare(sql), sql), () => this.db.prepare(sql));
      if (this.statements.size >= STATEMENT_CACHE) this.statements.delete(this.statements.keys().next().value!);
      this.statements.set(sql, s);
    }
    return s as unknown as Statement<Row, Params>;
  }

  prepareExact<Row = unknown, Params extends unknown[] = unknown[]>(sql: string): Statement<Row, Params> {
    const s = single(this.db.prepare(sql), sql);
    s.setReadBigInts(true);
    return s as unknown as Statement<Row, Params>;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  pragma(source: string, options: { simple?: boolean } = {}): unknown {
    const rows = this.db.prepare(`PRAGMA ${source}`).all() as Record<string, unknown>[];
    if (!options.simple) return rows;
    const first = rows[0];
    return first === undefined ? undefined : Object.values(first)[0];
  }

  get inTransaction(): boolean {
    return this.db.isTransaction;
  }

  get open(): boolean {
    return this.db.isOpen;
  }

  close(): void {
    this.statements.clear();
    if (this.db.isOpen) this.db.close();
  }

  beginImmediate(): void {
    const before = Number(this.pragma('busy_timeout', { simple: true }));
    const wait = writeWaitMs();
    const started = monotonicMs();
    try {
      // In slices when someone is told of the wait: SQLite's busy handler gives no turn back.
      for (;;) {
        const left = Math.max(0, Math.floor(wait - (monotonicMs() - started)));
        this.db.exec(`PRAGMA busy_timeout = ${lockWaitNotice ? Math.min(NOTICE_EVERY_MS, left) : left}`);
        try {
          this.db.exec('BEGIN IMMEDIATE');
          return;
        } catch (e) {
          if (!isBusyDatabaseError(e)) throw e;
          if (monotonicMs() - started >= wait) throw lockedOut(this.path, wait);
          lockWaitNotice?.(monotonicMs() - started, wait);
        }
      }
    } finally {
      this.db.exec(`PRAGMA busy_timeout = ${before}`);
    }
  }

  describe(sql: string): { reader: boolean; readonly: boolean } {
    const reader = single(this.db.prepare(sql), sql).columns().length > 0;
    // EXPLAIN compiles the statement without running it; its program says what it would
    // touch. A statement that already is an EXPLAIN runs nothing either.
    if (/^\s*explain\b/i.test(sql)) return { reader, readonly: true };
    const ops = this.db.prepare(`EXPLAIN ${sql}`).all() as { opcode: string; p2: number }[];
    const writes = ops.some((o) => WRITE_OPCODES.has(o.opcode) || (o.opcode === 'Transaction' && o.p2 !== 0));
    return { reader, readonly: !writes };
  }

  transaction<A extends unknown[], R>(fn: (...args: A) => R): Transaction<A, R> {
    const run = (begin: string, args: A): R => {
      // Nested: a savepoint, so an inner failure rolls back only the inner work.
      if (this.db.isTransaction) {
        const name = `tack_sp_${++this.seq}`;
        this.db.exec(`SAVEPOINT ${name}`);
        try {
          const r = fn(...args);
          this.db.exec(`RELEASE ${name}`);
          return r;
        } catch (e) {
          this.db.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
          throw e;
        }
      }
      if (begin === 'BEGIN IMMEDIATE') this.beginImmediate();
      else this.db.exec(begin);
      try {
        const r = fn(...args);
        this.db.exec('COMMIT');
        return r;
      } catch (e) {
        if (this.db.isTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    };
    const tx = ((...args: A) => run('BEGIN', args)) as Transaction<A, R>;
    tx.immediate = (...args: A) => run('BEGIN IMMEDIATE', args);
    return tx;
  }
}

/** How long a statement waits for another process's lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 10_000;

/**
 * How long a write to the index waits for another process's (TACK_INDEX_WAIT_MS, default
 * 2 minutes). Longer than a statement's BUSY_TIMEOUT_MS: a reindex or a first build at
 * 100,000 tickets holds the lock for 10-20 s, and a write that had committed to git then
 * failed on the index answered `database is locked` for a change that had landed.
 */
export function writeWaitMs(): number {
  const raw = process.env.TACK_INDEX_WAIT_MS?.trim();
  const ms = raw ? Number(raw) : Number.NaN;
  // SQLite takes the wait as a C int.
  const wait = Number.isFinite(ms) && ms >= 0 ? Math.min(Math.floor(ms), 2 ** 31 - 1) : 120_000;
  return Math.min(wait, waitCap);
}

let waitCap = Number.POSITIVE_INFINITY;

/** How often a write waiting for the index lock tells `lockWaitNotice`. */
const NOTICE_EVERY_MS = 1000;
let lockWaitNotice: ((waitedMs: number, limitMs: number) => void) | null = null;

/**
 * Who is told, about once a second, that a write is waiting for another process's lock of
 * the index (the CLI draws a progress line on a terminal); null: nobody.
 */
export function onLockWait(notice: ((waitedMs: number, limitMs: number) => void) | null): void {
  lockWaitNotice = notice;
}

function lockedOut(path: string, wait: number): TackError {
  return new TackError(
    'unavailable',
    `another process held the write lock of ${path} for more than ${wait < 1000 ? `${wait} ms` : `${Math.round(wait / 1000)} s`} (a reindex or a first build of a large store takes that long); this command wrote nothing to it: run it again when that process ends (TACK_INDEX_WAIT_MS sets the wait)`,
    { path, waited_ms: wait },
  );
}

/**
 * A process whose event loop serves others (the server, MCP) waits at most `ms` for the
 * lock on that loop (its last-resort refresh); its lanes, other processes, wait as the CLI does.
 */
export function capWriteWait(ms: number): void {
  waitCap = ms;
}

/** Open (creating unless `readonly`) the database at `path`, or `:memory:`. */
export function openDatabase(path: string, options: { readonly?: boolean } = {}): Database {
  const { DatabaseSync } = loadSqlite();
  // A busy timeout from the first statement on: a connection's first pragma (journal_mode,
  // a schema read) can meet another process's write lock, and node:sqlite waits 0 ms by default.
  const db = new DatabaseSync(path, { readOnly: options.readonly === true, timeout: BUSY_TIMEOUT_MS });
  return new NodeDatabase(db, path);
}

/** SQLITE_BUSY (5), extended codes included: another connection holds the lock past the busy timeout. */
export function isBusyDatabaseError(e: unknown): boolean {
  const errcode = (e as { errcode?: unknown } | null)?.errcode;
  return typeof errcode === 'number' && (errcode & 0xff) === 5;
}

/** SQLite's words for "this file is not a database (any more)": SQLITE_CORRUPT (11) or SQLITE_NOTADB (26), extended codes included. */
export function isCorruptDatabaseError(e: unknown): boolean {
  const errcode = (e as { errcode?: unknown } | null)?.errcode;
  return typeof errcode === 'number' && ((errcode & 0xff) === 11 || (errcode & 0xff) === 26);
}
