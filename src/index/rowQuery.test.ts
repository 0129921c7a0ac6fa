import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MMAP_BYTES, openDb } from './indexDb.js';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_SCHEMA_YAML, parseSchema } from '../model/schema.js';
import { currentStateDdl } from './ddl.js';
import { setMeta } from './indexDb.js';
import { listTickets, readyTickets } from './queries.js';
import { rowsOf, valueList, type RowQuery } from './rowQuery.js';
import { parseBlob, TicketWriter } from './ticketRows.js';

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

describe('a long list of ids', () => {
  it('is one JSON parameter past 500 values: 40,000 ids never exceed what SQLite takes', () => {
    const db = openDb(':memory:');
    const schema = parseSchema(parseYaml(DEFAULT_SCHEMA_YAML));
    db.exec(currentStateDdl(schema));
    setMeta(db, 'schema', JSON.stringify(schema));
    const writer = new TicketWriter(db, schema);
    for (const n of [1, 2, 3]) {
      const id = `tk-aaaa000${n}`;
      const path = `tickets/${id}.md`;
      writer.write(path, id, String(n).repeat(40), parseBlob(`---\nid: ${id}\ntitle: T${n}\n---\n`, path), false, true);
    }
    const many = Array.from({ length: 40_000 }, (_, i) => `tk-none${i}`);
    for (const ids of [
      ['tk-aaaa0001', 'tk-aaaa0003'],
      [...many, 'tk-aaaa0001', 'tk-aaaa0003'],
    ]) {
      expect(listTickets(db, { ids, all: true }).map((t) => t.id)).toEqual(['tk-aaaa0001', 'tk-aaaa0003']);
      expect(readyTickets(db, { excludeIds: ids }).map((t) => t.id)).toEqual(['tk-aaaa0002']);
    }
    const params: unknown[] = [];
    expect(valueList(['a', 'b'], params)).toBe('(?, ?)');
    expect(valueList(many, params)).toBe('(SELECT value FROM json_each(?))');
    expect(params).toEqual(['a', 'b', JSON.stringify(many)]);
    db.close();
  });
});
