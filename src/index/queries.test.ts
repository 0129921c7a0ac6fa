import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MMAP_BYTES, openDb } from './indexDb.js';
import { rowsOf, type RowQuery } from './queries.js';

/** A billion rows: read whole, the test would never end. */
const ENDLESS: RowQuery<number> = {
  sql: 'WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1000000000) SELECT i FROM c',
  params: [],
  map: (r) => Number(r.i),
};

describe('rowsOf', () => {
  it('an answer asked for whole is read as it is used, unmapped, and the map comes back after', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tack-rows-'));
    const db = openDb(join(dir, 'index.db'));
    const mmap = () => Number(db.pragma('mmap_size', { simple: true }));
    try {
      const first: number[] = [];
      for (const i of rowsOf(db, ENDLESS, undefined)) {
        expect(mmap()).toBe(0);
        // Other statements run while the loop is open (a batch's lookups).
        expect(db.prepare<{ n: number }>('SELECT ? AS n').get(i)?.n).toBe(i);
        first.push(i);
        if (first.length === 3) break;
      }
      expect(first).toEqual([1, 2, 3]);
      expect(mmap()).toBe(MMAP_BYTES);
      // A page is read at once, mapped.
      expect([...rowsOf(db, { ...ENDLESS, sql: `${ENDLESS.sql} LIMIT 2` }, 2)]).toEqual([1, 2]);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
