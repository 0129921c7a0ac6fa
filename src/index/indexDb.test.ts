import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compactIfSparse, indexedSchema, indexGeneration, openDb, setMeta, truncateWal } from './indexDb.js';

describe('truncateWal', () => {
  it('empties the WAL a big write left, and never waits for a reader in the way', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tack-wal-'));
    try {
      const file = join(dir, 'index.db');
      const db = openDb(file);
      const wal = () => statSync(`${file}-wal`).size;
      db.exec('CREATE TABLE big (x TEXT)');
      const put = db.prepare('INSERT INTO big VALUES (?)');
      db.transaction(() => {
        for (let i = 0; i < 4000; i++) put.run('x'.repeat(500));
      })();
      expect(wal()).toBeGreaterThan(1024 * 1024);
      // A reader of the current snapshot in another connection: the WAL cannot be reset.
      const reader = openDb(file);
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) AS n FROM big').get();
      db.prepare('INSERT INTO big VALUES (?)').run('one more');
      const t0 = Date.now();
      truncateWal(db);
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(wal()).toBeGreaterThan(1024 * 1024);
      reader.exec('COMMIT');
      reader.close();
      truncateWal(db);
      expect(wal()).toBe(0);
      // The wait for other writers is as it was.
      expect(Number(db.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0);
      expect(db.prepare<{ n: number }>('SELECT count(*) AS n FROM big').get()!.n).toBe(4001);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('openDb', () => {
  it('starts the WAL over when a process that exited without closing left it large', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tack-wal-'));
    try {
      const file = join(dir, 'index.db');
      openDb(file).close();
      // What every command does: write, then exit with the file open (no checkpoint at close).
      const writer = `const { DatabaseSync } = require('node:sqlite');
        const db = new DatabaseSync(process.argv[1]);
        db.exec("CREATE TABLE IF NOT EXISTS big (x TEXT); BEGIN");
        const put = db.prepare('INSERT INTO big VALUES (?)');
        for (let i = 0; i < Number(process.argv[2]); i++) put.run('x'.repeat(500));
        db.exec('COMMIT');
        process.exit(0);`;
      const write = (rows: number) => {
        const p = spawnSync(process.execPath, ['--no-warnings', '-e', writer, file, String(rows)]);
        expect(p.status, String(p.stderr)).toBe(0);
      };
      const wal = () => statSync(`${file}-wal`).size;
      write(2000);
      const small = wal();
      expect(small).toBeGreaterThan(0);
      expect(small).toBeLessThan(4 * 1024 * 1024);
      const first = openDb(file); // under the limit: left as it is
      expect(wal()).toBe(small);
      first.close();
      write(0);
      write(12000);
      expect(wal()).toBeGreaterThan(4 * 1024 * 1024);
      const db = openDb(file);
      expect(wal()).toBe(0);
      expect(db.prepare<{ n: number }>('SELECT count(*) AS n FROM big').get()!.n).toBe(14000);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('compactIfSparse', () => {
  it('gives a mostly free file back to the disk, and leaves a full one alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tack-compact-'));
    try {
      const db = openDb(join(dir, 'index.db'));
      db.exec('CREATE TABLE big (x TEXT); CREATE TABLE small (x TEXT)');
      const put = db.prepare('INSERT INTO big VALUES (?)');
      db.transaction(() => {
        for (let i = 0; i < 2000; i++) put.run('x'.repeat(500));
      })();
      db.prepare('INSERT INTO small VALUES (?)').run('kept');
      const pages = () => Number(db.pragma('page_count', { simple: true }));
      const full = pages();
      compactIfSparse(db);
      expect(pages()).toBe(full);
      db.exec('DROP TABLE big');
      expect(Number(db.pragma('freelist_count', { simple: true }))).toBeGreaterThan(full / 2);
      compactIfSparse(db);
      expect(pages()).toBeLessThan(full / 10);
      expect(Number(db.pragma('freelist_count', { simple: true }))).toBe(0);
      expect(db.prepare('SELECT x FROM small').all()).toEqual([{ x: 'kept' }]);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('indexedSchema and indexGeneration', () => {
  const withDb = (body: (db: ReturnType<typeof openDb>, path: string) => void) => {
    const dir = mkdtempSync(join(tmpdir(), 'tack-meta-'));
    try {
      const db = openDb(join(dir, 'index.db'));
      body(db, join(dir, 'index.db'));
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('parses a schema text once, shares it frozen, and parses a new text again', () => {
    withDb((db) => {
      expect(indexedSchema(db)).toBeNull();
      setMeta(db, 'schema', JSON.stringify({ types: [{ name: 'bug' }], states: ['todo'] }));
      const first = indexedSchema(db)!;
      expect(indexedSchema(db)).toBe(first);
      // Shared by every caller: a change would reach them all, so none is allowed.
      expect(Object.isFrozen(first)).toBe(true);
      expect(Object.isFrozen((first as unknown as { types: object[] }).types[0])).toBe(true);
      expect(() => {
        (first as unknown as { states: string[] }).states.push('done');
      }).toThrow(TypeError);
      setMeta(db, 'schema', JSON.stringify({ types: [], states: ['todo', 'done'] }));
      expect((indexedSchema(db) as unknown as { states: string[] }).states).toEqual(['todo', 'done']);
    });
  });

  it('changes with a write by this connection and with a commit by another', () => {
    withDb((db, path) => {
      db.exec('CREATE TABLE t (x)');
      const g0 = indexGeneration(db);
      expect(indexGeneration(db)).toBe(g0);
      db.prepare('INSERT INTO t VALUES (1)').run();
      const g1 = indexGeneration(db);
      expect(g1).not.toBe(g0);
      const other = openDb(path);
      other.prepare('INSERT INTO t VALUES (2)').run();
      other.close();
      expect(indexGeneration(db)).not.toBe(g1);
    });
  });
});
