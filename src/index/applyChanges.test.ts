import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shortIds } from '../model/ids.js';
import { updateShortIds } from './applyChanges.js';
import { openDatabase } from './sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'tack-shortids-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('updateShortIds', () => {
  it('gives every ticket the short id of its neighbours in id order, whichever page they fall in', () => {
    // Ids that share long prefixes across page borders, and rows whose short id is wrong or right.
    const ids = ['tk-aaaa0001', 'tk-aaaa0002', 'tk-aaab1234', 'tk-b0000000', 'tk-b0000001', 'tk-c1', 'tk-zzzz9999'];
    for (const pageRows of [1, 2, 3, 1000]) {
      const db = openDatabase(join(dir, `page${pageRows}.db`));
      db.exec('CREATE TABLE tickets(id TEXT PRIMARY KEY, short_id TEXT)');
      const add = db.prepare('INSERT INTO tickets(id, short_id) VALUES (?, ?)');
      for (const [i, id] of ids.entries()) add.run(id, i % 2 ? id : 'tk-x');
      updateShortIds(db, pageRows);
      const rows = db.prepare<{ id: string; short_id: string }>('SELECT id, short_id FROM tickets ORDER BY id').all();
      expect(new Map(rows.map((r) => [r.id, r.short_id]))).toEqual(shortIds(ids));
      db.close();
    }
  });

  it('leaves an empty table and a single ticket as they should be', () => {
    const db = openDatabase(join(dir, 'small.db'));
    db.exec('CREATE TABLE tickets(id TEXT PRIMARY KEY, short_id TEXT)');
    updateShortIds(db, 2);
    db.prepare('INSERT INTO tickets(id, short_id) VALUES (?, ?)').run('tk-abcdefgh', 'wrong');
    updateShortIds(db, 2);
    expect(db.prepare<{ s: string }>('SELECT short_id AS s FROM tickets').get()!.s).toBe(
      shortIds(['tk-abcdefgh']).get('tk-abcdefgh'),
    );
    db.close();
  });
});
