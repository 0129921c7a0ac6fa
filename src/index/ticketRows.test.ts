import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { serializeComments } from '../model/comments.js';
import { DEFAULT_SCHEMA_YAML, parseSchema } from '../model/schema.js';
import { currentStateDdl } from './ddl.js';
import { openDb } from './indexDb.js';
import { BlobCache, cachedTicketData, keptComments, parseBlob, TicketWriter } from './ticketRows.js';

const SHA = 'a'.repeat(40);

describe('the blob cache', () => {
  it('never trusts a result cached under another parser version, and caches a failure as a problem', () => {
    const db = openDb(':memory:');
    // What an older Tack stored for a poisoned blob: keyed by the bare blob id, "parsed fine".
    db.prepare('INSERT INTO blob_cache(blob, json) VALUES (?, ?)').run(
      SHA,
      JSON.stringify({ ok: true, data: { fields: { title: 'trusted' }, body: '', comments: [] } }),
    );
    const cache = new BlobCache(db);
    expect(cache.lookup(SHA)).toBeUndefined();
    expect(cachedTicketData(db, SHA)).toBeNull();
    const parsed = parseBlob('---\nid: tk-1\nx: &x [*x]\n---\n', 'tickets/tk-1.md');
    expect(parsed).toEqual({ ok: false, line: 3, message: 'alias *x refers to a value that contains it (a cycle)' });
    cache.store(SHA, parsed);
    expect(cache.lookup(SHA)).toEqual(parsed);
    expect(cachedTicketData(db, SHA)).toBeNull();
    db.close();
  });

  it('parseBlob turns anything a file can do into a problem, never an exception', () => {
    for (const text of ['', '\0', '---\n', new Uint8Array([0xff, 0xfe]), `---\nx: ${'['.repeat(100000)}\n---\n`]) {
      const p = parseBlob(text, 'tickets/tk-1.md');
      expect(p.ok).toBe(false);
      if (!p.ok) expect(p.line).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('the full-text index', () => {
  const path = 'tickets/tk-aaaa1111.md';
  const file = (title: string, comments: Array<[string, string]>) =>
    `---\nid: tk-aaaa1111\ntitle: ${title}\nstatus: todo\n---\n${serializeComments(
      'Body words.',
      comments.map(([id, text]) => ({ id, author: 'ann', created: '2026-01-01T00:00:00Z', text })),
    )}`;

  it('keeps no copy of the text and stays in step with it through rewrites and removals', () => {
    const db = openDb(':memory:');
    const schema = parseSchema(parseYaml(DEFAULT_SCHEMA_YAML));
    db.exec(currentStateDdl(schema));
    const writer = new TicketWriter(db, schema);
    // FTS5 compares its inverted index with the text it reads back: any stale token fails it.
    const check = () => db.exec("INSERT INTO tickets_fts(tickets_fts, rank) VALUES('integrity-check', 1)");
    const hits = (q: string) =>
      db.prepare<{ n: number }>('SELECT count(*) AS n FROM tickets_fts WHERE tickets_fts MATCH ?').get(q)!.n;
    // Two comments with one id: the reader renames the later (c-1-2), so all three are kept.
    const first = file('Parser bug', [
      ['c-1', 'first words'],
      ['c-2', 'second note'],
      ['c-1', 'replaced words'],
    ]);
    writer.write(path, 'tk-aaaa1111', 'a'.repeat(40), parseBlob(first, path), false, true);
    check();
    expect([hits('first'), hits('replaced'), hits('second'), hits('parser')]).toEqual([1, 1, 1, 1]);
    writer.write(path, 'tk-aaaa1111', 'b'.repeat(40), parseBlob(file('Lexer bug', [['c-3', 'other']]), path), false);
    check();
    expect([hits('parser'), hits('replaced'), hits('lexer'), hits('other')]).toEqual([0, 0, 1, 1]);
    writer.removePath(path);
    check();
    expect(hits('lexer OR other OR body')).toBe(0);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'tickets_fts_content'").all()).toEqual([]);
    db.close();
  });

  it('indexes the comments as the comments table keeps them (a repeated id: the later, in its place)', () => {
    expect(
      keptComments([
        { id: 'a', text: '1' },
        { id: 'b', text: '2' },
        { id: 'a', text: '3' },
      ]),
    ).toEqual(['2', '3']);
  });
});
