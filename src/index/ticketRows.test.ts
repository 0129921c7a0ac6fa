import { describe, expect, it } from 'vitest';
import { openDb } from './indexDb.js';
import { BlobCache, cachedTicketData, parseBlob } from './ticketRows.js';

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
