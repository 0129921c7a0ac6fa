import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, tack, tackJson, tempStore } from './helpers.js';
import { dumpIndexFile } from './indexDump.js';
import { commitToStore } from './storeFiles.js';

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

  it('follows an alias through hand edits, and a rebuild gives the same aliases table', () => {
    const aliases = () => tackJson(dir, 'sql', 'SELECT alias, ticket FROM aliases ORDER BY alias', '--json');
    const found = (q: string) => tackJson(dir, 'search', q, '--json').map((h: any) => h.snippet);
    expect(aliases()).toContainEqual({ alias: 'bd-o78', ticket: imported });
    const path = tackJson(dir, 'sql', 'SELECT path FROM tickets WHERE id = ?', '--param', imported, '--json')[0].path;
    const text = git(dir, 'show', `tack:${path}`);
    expect(text).toMatch(/^aliases: \[bd-o78\]$/m);
    // A second alias, in capitals, by hand: found case-insensitively; the old one still is.
    commitToStore(dir, { [path]: text.replace('aliases: [bd-o78]', 'aliases: [bd-o78, GH-12]') }, 'another alias');
    expect(aliases()).toEqual(
      expect.arrayContaining([
        { alias: 'bd-o78', ticket: imported },
        { alias: 'gh-12', ticket: imported },
      ]),
    );
    expect(found('gh-12')).toEqual(['alias [gh-12]']);
    // The aliases removed: the ticket is no longer found by them (the incremental update clears its rows).
    commitToStore(dir, { [path]: text.replace('aliases: [bd-o78]\n', '') }, 'no aliases');
    expect(git(dir, 'show', `tack:${path}`)).not.toMatch(/aliases/);
    expect(aliases().filter((r: any) => r.ticket === imported)).toEqual([]);
    expect(found('gh-12')).toEqual([]);
    const file = join(dir, '.git', 'tack', 'index.db');
    const before = dumpIndexFile(file);
    tack(dir, 'reindex');
    expect(dumpIndexFile(file)).toEqual(before);
    commitToStore(dir, { [path]: text }, 'aliases back');
  });

  it('matches an alias only as the whole text, never a part of one', () => {
    expect(tackJson(dir, 'search', 'bd-o7', '--json').map((h: any) => h.id)).not.toContain(imported);
    expect(tackJson(dir, 'search', "bd-o78' OR 1=1 --", '--json')).toEqual([]);
  });
});
