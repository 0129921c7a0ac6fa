import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { holdWriteLock } from '../../test/indexLock.js';
import { isTackError } from '../model/errors.js';
import {
  BUSY_TIMEOUT_MS,
  capWriteWait,
  isBusyDatabaseError,
  isCorruptDatabaseError,
  onLockWait,
  openDatabase,
} from './sqlite.js';

// The conformance suite of src/index/sqlite.ts: what the index relies on from SQLite,
// checked against the backend the running Node provides.
const originalEmitWarning = process.emitWarning;
const dir = mkdtempSync(join(tmpdir(), 'tack-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => openDatabase(join(dir, `db${++n}.db`));

describe('sqlite backend', () => {
  it('has FTS5 with prefix indexes, bm25 and snippet', () => {
    const db = fresh();
    db.exec("CREATE VIRTUAL TABLE f USING fts5(title, body, prefix='2 3')");
    db.prepare('INSERT INTO f(rowid, title, body) VALUES (?, ?, ?)').run(1, 'parser trailing comment', 'the lexer');
    db.prepare('INSERT INTO f(rowid, title, body) VALUES (?, ?, ?)').run(2, 'render board', 'nothing');
    const rows = db
      .prepare("SELECT rowid, bm25(f) AS r, snippet(f, 0, '[', ']', '…', 4) AS s FROM f WHERE f MATCH ? ORDER BY r")
      .all('pars*') as { rowid: number; s: string }[];
    expect(rows.map((r) => r.rowid)).toEqual([1]);
    expect(rows[0]!.s).toContain('[parser]');
    db.close();
  });

  it('commits a transaction, rolls it back on a throw, and nests as savepoints', () => {
    const db = fresh();
    db.exec('CREATE TABLE t (x INTEGER)');
    const ins = db.prepare('INSERT INTO t VALUES (?)');
    db.transaction((a: number, b: number) => {
      ins.run(a);
      ins.run(b);
    })(1, 2);
    expect(() =>
      db.transaction(() => {
        ins.run(3);
        throw new Error('boom');
      })(),
    ).toThrow('boom');
    expect(db.inTransaction).toBe(false);
    const r = db
      .transaction(() => {
        ins.run(4);
        expect(db.inTransaction).toBe(true);
        expect(() =>
          db.transaction(() => {
            ins.run(5);
            throw new Error('inner');
          })(),
        ).toThrow('inner');
        db.transaction(() => ins.run(6))();
        return 'done';
      })
      .immediate();
    expect(r).toBe('done');
    expect((db.prepare('SELECT x FROM t ORDER BY x').all() as { x: number }[]).map((row) => row.x)).toEqual([
      1, 2, 4, 6,
    ]);
    db.close();
  });

  it('reads and sets pragmas (WAL, simple values)', () => {
    const db = fresh();
    expect(db.pragma('journal_mode = WAL', { simple: true })).toBe('wal');
    db.pragma('busy_timeout = 1234');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
    expect(db.pragma('table_info(sqlite_master)')).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'type' })]),
    );
    expect(typeof db.pragma('data_version', { simple: true })).toBe('number');
    db.close();
  });

  it('binds and returns NULL, integers, reals, text and blobs; big integers exactly when asked', () => {
    const db = fresh();
    db.exec('CREATE TABLE v (a, b, c, d, e)');
    const r = db.prepare('INSERT INTO v VALUES (?, ?, ?, ?, ?)').run(null, 42, 1.5, 'é', Buffer.from([0, 255]));
    expect(r.changes).toBe(1);
    expect(Number(r.lastInsertRowid)).toBe(1);
    const row = db.prepare('SELECT * FROM v').get() as Record<string, unknown>;
    expect(row.a).toBeNull();
    expect(row.b).toBe(42);
    expect(row.c).toBe(1.5);
    expect(row.d).toBe('é');
    expect(Array.from(row.e as Uint8Array)).toEqual([0, 255]);
    expect(db.prepare('SELECT * FROM v WHERE b = 99').get()).toBeUndefined();
    // Named parameters without their prefix, as better-sqlite3 took them.
    expect((db.prepare('SELECT :x + @y AS s').get({ x: 1, y: 2 }) as { s: number }).s).toBe(3);
    // A value no JS number holds: an error by default, exact as a bigint when asked.
    expect(() => db.prepare('SELECT 9223372036854775807 AS n').get()).toThrow();
    expect((db.prepareExact('SELECT 9223372036854775807 AS n').get() as { n: bigint }).n).toBe(9223372036854775807n);
    expect(() => db.prepare('SELECT ?').get(undefined)).toThrow();
    db.close();
  });

  it('iterates rows lazily', () => {
    const db = fresh();
    const seen: number[] = [];
    for (const row of db
      .prepare('WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 5) SELECT i FROM c')
      .iterate()) {
      seen.push((row as { i: number }).i);
    }
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    db.close();
  });

  it('runs a statement compiled once again and again, and a loop over one may run the same SQL inside', () => {
    const db = fresh();
    db.exec('CREATE TABLE t (i INTEGER)');
    const insert = 'INSERT INTO t VALUES (?)';
    for (let i = 1; i <= 3; i++) db.prepare(insert).run(i);
    const sql = 'SELECT i FROM t WHERE i >= ? ORDER BY i';
    expect(db.prepare<{ i: number }>(sql).all(2)).toEqual([{ i: 2 }, { i: 3 }]);
    const pairs: string[] = [];
    for (const row of db.prepare<{ i: number }>(sql).iterate(1))
      pairs.push(`${row.i}:${db.prepare<{ i: number }>(sql).all(row.i).length}`);
    expect(pairs).toEqual(['1:3', '2:2', '3:1']);
    // Many distinct statements: the oldest are dropped and compiled again when asked.
    for (let i = 0; i < 300; i++) expect(db.prepare<{ v: number }>(`SELECT ${i} AS v`).get()).toEqual({ v: i });
    expect(db.prepare(sql).all(3)).toEqual([{ i: 3 }]);
    // A schema change recompiles what was kept.
    expect(db.prepare('SELECT * FROM t WHERE i = ?').get(1)).toEqual({ i: 1 });
    db.exec('ALTER TABLE t ADD COLUMN j TEXT');
    expect(db.prepare('SELECT * FROM t WHERE i = ?').get(1)).toEqual({ i: 1, j: null });
    db.close();
  });

  it('refuses a second statement instead of silently dropping it', () => {
    const db = fresh();
    db.exec('CREATE TABLE t (x)');
    expect(() => db.prepare('SELECT 1; DELETE FROM t')).toThrow(/more than one statement/);
    expect(() => db.prepare('SELECT 1; -- trailing comment\n /* and another */ ;')).not.toThrow();
    db.close();
  });

  it('describes statements: rows or not, read-only or a write', () => {
    const db = fresh();
    db.exec('CREATE TABLE t (x); CREATE VIRTUAL TABLE f USING fts5(a)');
    const d = (sql: string) => db.describe(sql);
    expect(d('SELECT * FROM t')).toEqual({ reader: true, readonly: true });
    expect(d('WITH a AS (SELECT 1) SELECT * FROM a')).toEqual({ reader: true, readonly: true });
    expect(d('PRAGMA table_info(t)')).toEqual({ reader: true, readonly: true });
    expect(d('EXPLAIN QUERY PLAN SELECT * FROM t').readonly).toBe(true);
    for (const w of [
      'INSERT INTO t VALUES (1)',
      'UPDATE t SET x = 2',
      'DELETE FROM t',
      "INSERT INTO f(a) VALUES ('x')",
      'DELETE FROM t RETURNING x',
      'CREATE TABLE u (y)',
      'DROP TABLE t',
      'CREATE TEMP TABLE z (y)',
      'VACUUM',
      'PRAGMA journal_mode = DELETE',
      'CREATE INDEX i ON t(x)',
    ]) {
      expect(d(w).readonly, w).toBe(false);
    }
    expect(d('DELETE FROM t RETURNING x').reader).toBe(true);
    expect(d('UPDATE t SET x = 2').reader).toBe(false);
    db.close();
  });

  it('opens read-only: reads work, writes are refused, a missing file is an error', () => {
    const path = join(dir, 'ro.db');
    const w = openDatabase(path);
    w.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    w.close();
    const r = openDatabase(path, { readonly: true });
    expect(r.prepare('SELECT x FROM t').get()).toEqual({ x: 1 });
    expect(() => r.exec('INSERT INTO t VALUES (2)')).toThrow(/readonly/);
    r.close();
    expect(() => openDatabase(join(dir, 'missing.db'), { readonly: true })).toThrow();
  });

  it("sees another connection's commit (WAL) and reports close", () => {
    const path = join(dir, 'two.db');
    const a = openDatabase(path);
    a.pragma('journal_mode = WAL');
    a.exec('CREATE TABLE t (x)');
    const b = openDatabase(path);
    const before = b.pragma('data_version', { simple: true });
    a.prepare('INSERT INTO t VALUES (7)').run();
    expect(b.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
    expect(b.pragma('data_version', { simple: true })).not.toBe(before);
    expect(a.open).toBe(true);
    a.close();
    a.close();
    expect(a.open).toBe(false);
    b.close();
  });

  it('drops only the experimental warning, while node:sqlite loads, and leaves other warnings alone', () => {
    // openDatabase has run above; emitWarning is Node's own again.
    expect(process.emitWarning).toBe(originalEmitWarning);
  });

  it('says when a file is not a database, and only then', () => {
    const path = join(dir, 'garbage.db');
    writeFileSync(path, 'not a database, '.repeat(64));
    let thrown: unknown;
    try {
      const db = openDatabase(path);
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (e) {
      thrown = e;
    }
    expect(isCorruptDatabaseError(thrown)).toBe(true);
    const db = fresh();
    let other: unknown;
    try {
      db.prepare('SELECT * FROM no_such_table').get();
    } catch (e) {
      other = e;
    }
    expect(other).toBeDefined();
    expect(isCorruptDatabaseError(other)).toBe(false);
    db.close();
  });

  it("waits for another connection's lock from the first statement on (a busy timeout at open)", () => {
    const db = fresh();
    expect(db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    db.close();
  });
});

/** A WAL database with one table `t`, as the index is: the file another process locks. */
function walTable() {
  const db = fresh();
  db.exec('CREATE TABLE t (x)');
  db.pragma('journal_mode = WAL');
  return db;
}

describe('a write waits for another process writing the index', () => {
  const saved = process.env.TACK_INDEX_WAIT_MS;
  afterEach(() => {
    if (saved === undefined) delete process.env.TACK_INDEX_WAIT_MS;
    else process.env.TACK_INDEX_WAIT_MS = saved;
    capWriteWait(Number.POSITIVE_INFINITY);
    onLockWait(null);
  });

  it('tells who asked, about once a second, how long it has waited, and still gets the lock', async () => {
    const db = walTable();
    const told: Array<[number, number]> = [];
    onLockWait((waited, limit) => told.push([waited, limit]));
    process.env.TACK_INDEX_WAIT_MS = '60000';
    const lock = await holdWriteLock(db.path);
    lock.releaseAfter(2500);
    db.transaction(() => db.prepare('INSERT INTO t VALUES (1)').run()).immediate();
    // Told (once a second, so at least once in 2.5 s), the limit each time, the time waited growing.
    expect(told.length).toBeGreaterThanOrEqual(1);
    expect(told.every(([, limit]) => limit === 60_000)).toBe(true);
    expect(told.map(([w]) => w)).toEqual([...told.map(([w]) => w)].sort((a, b) => a - b));
    expect(db.prepare<{ n: number }>('SELECT count(*) AS n FROM t').get()!.n).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    await lock.released;
    db.close();
  });

  it('longer than a statement waits: BEGIN IMMEDIATE gets the lock once the other process lets go', async () => {
    const db = walTable();
    // A statement gives up after 50 ms; the other process lets go 1.5 s after the wait begins.
    db.pragma('busy_timeout = 50');
    const lock = await holdWriteLock(db.path);
    expect(() => db.exec('INSERT INTO t VALUES (0)')).toThrow(/locked/);
    lock.releaseAfter(1500);
    db.transaction(() => db.prepare('INSERT INTO t VALUES (?)').run(1)).immediate();
    expect(db.prepare<{ n: number }>('SELECT count(*) AS n FROM t').get()!.n).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(50);
    await lock.released;
    db.close();
  });

  it('past TACK_INDEX_WAIT_MS, a typed error that names the file and says nothing was written', async () => {
    const db = walTable();
    const { stop } = await holdWriteLock(db.path);
    process.env.TACK_INDEX_WAIT_MS = '200';
    let caught: unknown;
    try {
      db.transaction(() => db.prepare('INSERT INTO t VALUES (1)').run()).immediate();
    } catch (e) {
      caught = e;
    }
    expect(isTackError(caught) && caught.code).toBe('unavailable');
    expect((caught as Error).message).toContain(db.path);
    expect((caught as Error).message).toMatch(/wrote nothing/);
    expect(db.inTransaction).toBe(false);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    // A surface's event loop waits no longer than its cap, whatever the environment says.
    process.env.TACK_INDEX_WAIT_MS = '60000';
    capWriteWait(100);
    const started = Date.now();
    expect(() => db.beginImmediate()).toThrow(/more than 100 ms/);
    expect(Date.now() - started).toBeLessThan(30_000);
    await stop();
    db.close();
  });

  it('reads SQLITE_BUSY, extended codes included, and nothing else, as busy', () => {
    expect(isBusyDatabaseError({ errcode: 5 })).toBe(true);
    expect(isBusyDatabaseError({ errcode: 5 | (2 << 8) })).toBe(true);
    expect(isBusyDatabaseError({ errcode: 6 })).toBe(false);
    expect(isBusyDatabaseError(new Error('database is locked'))).toBe(false);
  });
});
