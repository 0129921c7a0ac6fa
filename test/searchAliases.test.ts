import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tack, tackJson, tempStore } from './helpers.js';

/* An imported ticket's alias (its id in the tracker it came from) is found by search. */
describe('tack search finds imported aliases', () => {
  let dir = '';
  let cleanup = () => {};
  let imported = '';
  beforeAll(() => {
    ({ dir, cleanup } = tempStore());
    const rec = (id: string, title: string, description: string) =>
      JSON.stringify({
        id,
        title,
        description,
        status: 'open',
        priority: 2,
        issue_type: 'task',
        created_at: '2025-01-01T00:00:00Z',
        updated_at: '2025-01-01T00:00:00Z',
      });
    const file = join(dir, 'beads.jsonl');
    writeFileSync(
      file,
      `${rec('bd-o78', 'Imported from beads', 'came over')}\n${rec('bd-x1', 'Other import', 'mentions bd and o78 in passing')}\n`,
    );
    tack(dir, 'import', 'beads', file);
    imported = tackJson(dir, 'show', 'bd-o78', '--json').id;
  });
  afterAll(() => cleanup());

  it('puts the ticket whose alias is the whole text first, case-insensitively, once', () => {
    for (const q of ['bd-o78', 'BD-O78', '"bd-o78"']) {
      const hits = tackJson(dir, 'search', q, '--json');
      expect(hits[0], q).toMatchObject({ id: imported, snippet: expect.stringContaining('alias') });
      expect(hits.filter((h: any) => h.id === imported)).toHaveLength(1);
    }
    // The other one mentions the words: found too, after the alias.
    expect(tackJson(dir, 'search', 'bd-o78', '--json').map((h: any) => h.title)).toEqual([
      'Imported from beads',
      'Other import',
    ]);
  });

  it('pages across the alias hit and the full-text hits without repeating either', () => {
    const first = tackJson(dir, 'search', 'bd-o78', '--limit', '1', '--json');
    const second = tackJson(dir, 'search', 'bd-o78', '--limit', '1', '--offset', '1', '--json');
    expect([...first, ...second].map((h: any) => h.title)).toEqual(['Imported from beads', 'Other import']);
  });

  it('matches an alias only as the whole text, never a part of one', () => {
    expect(tackJson(dir, 'search', 'bd-o7', '--json').map((h: any) => h.id)).not.toContain(imported);
    expect(tackJson(dir, 'search', "bd-o78' OR 1=1 --", '--json')).toEqual([]);
  });
});
