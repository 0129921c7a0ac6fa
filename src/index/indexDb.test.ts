import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compactIfSparse, openDb } from './indexDb.js';

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
