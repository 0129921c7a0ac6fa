import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RowBatch } from './rowBatch.js';
import { openDatabase } from './sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'tack-rowbatch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('RowBatch', () => {
  it('writes the rows it is given, in their order, as many at once or row by row; a row ignored is ignored alone', () => {
    for (const count of [0, 1, 63, 64, 65, 200]) {
      const db = openDatabase(join(dir, `db${count}.db`));
      db.exec('CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT, b BLOB)');
      const batch = new RowBatch(db, 'INSERT OR IGNORE INTO t(k, v, b)', 3);
      const want: Array<[number, string | null]> = [];
      for (let i = 0; i < count; i++) {
        // Every fifth key again: the first row stands, as row by row.
        const k = i % 5 === 4 ? i - 1 : i;
        batch.add(k, i % 7 ? `v${i}` : null, new Uint8Array([i % 256]));
        if (!want.some(([x]) => x === k)) want.push([k, i % 7 ? `v${i}` : null]);
      }
      batch.flush();
      const rows = db.prepare<{ k: number; v: string | null }>('SELECT k, v FROM t ORDER BY rowid').all();
      expect(rows.map((r) => [r.k, r.v])).toEqual(want);
      batch.flush(); // nothing held: nothing written twice
      expect(db.prepare<{ n: number }>('SELECT count(*) AS n FROM t').get()!.n).toBe(want.length);
      db.close();
    }
  });

  it('refuses a row of the wrong width instead of shifting every row after it', () => {
    const db = openDatabase(join(dir, 'width.db'));
    db.exec('CREATE TABLE t(a, b)');
    const batch = new RowBatch(db, 'INSERT INTO t(a, b)', 2);
    expect(() => batch.add(1)).toThrow(/a row of 1 values, expected 2/);
    db.close();
  });
});
