import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compactIfSparse, indexedSchema, indexGeneration, openDb, setMeta } from './indexDb.js';

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
