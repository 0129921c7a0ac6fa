import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  misplacedTicket,
  schemaTextWithLayout,
  shardOf,
  ticketIdFromPath,
  ticketPath,
  ticketPathPrefixes,
} from './ticketPath.js';
import { DEFAULT_SCHEMA_YAML, parseSchema } from './schema.js';
import { parseYamlFile } from './boundedYaml.js';

describe('ticketPath', () => {
  it('shards by the two characters after the prefix dash, lower-cased', () => {
    expect(ticketPath('tk-3fa9', 'fanout')).toBe('tickets/3f/tk-3fa9.md');
    expect(ticketPath('tk-3fa9')).toBe('tickets/tk-3fa9.md');
    expect(ticketPath('tk-3fa9', 'fanout', 'archive')).toBe('archive/3f/tk-3fa9.md');
    expect(shardOf('proj-ABcd')).toBe('ab');
    expect(shardOf('a-b-c')).toBe('b_'); // the first dash ends the prefix; `-` is no folder character
  });

  it('pads short random parts and ids without a dash with _, never an empty or dotted folder', () => {
    expect(shardOf('tk-a')).toBe('a_');
    expect(shardOf('tk-')).toBe('__');
    expect(shardOf('x')).toBe('x_');
    expect(shardOf('..')).toBe('__');
    expect(shardOf('tk-./')).toBe('__');
  });

  it('reads both layouts back to the id', () => {
    for (const id of ['tk-3fa9', 'tk-a', 'jira-12', 'x']) {
      for (const layout of ['flat', 'fanout'] as const) {
        expect(ticketIdFromPath(ticketPath(id, layout))).toEqual({ id, dir: 'tickets', layout });
        expect(ticketIdFromPath(ticketPath(id, layout, 'archive'))).toEqual({ id, dir: 'archive', layout });
      }
    }
  });

  it('refuses hostile and misplaced paths instead of naming a ticket', () => {
    for (const p of [
      'tickets/../x.md',
      'tickets/3f/../../x',
      'tickets/3f/../../x.md',
      'tickets/./tk-3fa9.md',
      'tickets/.md',
      'tickets/aa/tk-3fa9.md',
      'tickets/3f/sub/tk-3fa9.md',
      'tickets/3f/notes.txt',
      'docs/tk-3fa9.md',
      'tickets/tk-3fa9.txt',
      'tickets\\tk-3fa9.md',
      'tickets/3f\\tk-3fa9.md',
    ]) {
      expect(ticketIdFromPath(p), p).toBeNull();
    }
  });

  it('says why a file under tickets/ is not read, and leaves other files alone', () => {
    expect(misplacedTicket('tickets/aa/tk-3fa9.md')).toContain('tickets/3f/tk-3fa9.md');
    expect(misplacedTicket('tickets/3f/notes.txt')).toContain('only <id>.md files');
    expect(misplacedTicket('tickets/3f/a/b.md')).toContain('nested too deep');
    expect(misplacedTicket('tickets/.gitkeep')).toBeNull();
    expect(misplacedTicket('tickets/3f/tk-3fa9.md')).toBeNull();
    expect(misplacedTicket('docs/x.md')).toBeNull();
  });

  it('finds the path prefixes of an id prefix in both layouts', () => {
    expect(ticketPathPrefixes('tk-3f')).toEqual(['tickets/tk-3f', 'tickets/3f/tk-3f']);
    expect(ticketPathPrefixes('tk-3', 'archive')).toEqual(['archive/tk-3']);
  });
});

describe('schemaTextWithLayout', () => {
  it('declares the layout in schema.yaml, comments kept, and replaces an existing line', () => {
    const fan = schemaTextWithLayout(DEFAULT_SCHEMA_YAML, 'fanout');
    expect(fan.startsWith(DEFAULT_SCHEMA_YAML)).toBe(true);
    expect(parseSchema(parseYamlFile(fan, 'schema.yaml')).layout).toBe('fanout');
    const flat = schemaTextWithLayout(fan, 'flat');
    expect(parseSchema(parseYamlFile(flat, 'schema.yaml')).layout).toBe('flat');
    expect(flat.match(/^layout:/gm)).toHaveLength(1);
  });

  it('refuses an unknown layout in schema.yaml', () => {
    expect(() => parseSchema(parseYamlFile(`${DEFAULT_SCHEMA_YAML}layout: deep\n`, 'schema.yaml'))).toThrow(
      /"layout" is "deep"; expected one of: flat, fanout/,
    );
  });
});

/** ticketIdFromPath as it was first written (split and a regular expression): the reading it must keep. */
function readBySplitting(rel: string): ReturnType<typeof ticketIdFromPath> {
  const parts = rel.split('/');
  const dir = parts[0];
  if ((dir !== 'tickets' && dir !== 'archive') || parts.length < 2 || parts.length > 3) return null;
  const m = /^([^/\\.][^/\\]*)\.md$/.exec(parts[parts.length - 1]);
  if (!m) return null;
  if (parts.length === 2) return { id: m[1], dir, layout: 'flat' };
  return parts[1] === shardOf(m[1]) ? { id: m[1], dir, layout: 'fanout' } : null;
}

describe('ticketIdFromPath', () => {
  it('reads every path as splitting it did, whatever its characters (a hostile tree names anything)', () => {
    // Characters that matter to the reading: separators, dots, case, and letters whose lower
    // case is longer or ASCII (U+0130, the Kelvin sign).
    const char = fc.constantFrom(...'/\\.mdtkA-Z09a_ \n\u0130\u212a\u00e9-'.split(''));
    const segment = fc.array(char, { maxLength: 8 }).map((c) => c.join(''));
    const path = fc
      .tuple(
        fc.constantFrom('tickets/', 'archive/', 'ticket/', '', 'tickets', 'archive//'),
        segment,
        fc.constantFrom('', '/'),
        segment,
        fc.constantFrom('.md', '', '.md/', '.MD'),
      )
      .map((p) => p.join(''));
    fc.assert(
      fc.property(path, (rel) => {
        expect(ticketIdFromPath(rel)).toEqual(readBySplitting(rel));
      }),
      { numRuns: 20_000 },
    );
    for (const id of ['tk-3fa9', 'tk-AB12', 'x', 'tk-a', 'tk-', 'tk-\u0130x', 'tk-\u212ax', 'a-b-c'])
      for (const layout of ['flat', 'fanout'] as const)
        for (const dir of ['tickets', 'archive'] as const) {
          const rel = ticketPath(id, layout, dir);
          expect(ticketIdFromPath(rel)).toEqual(readBySplitting(rel));
          expect(ticketIdFromPath(rel)?.id).toBe(id);
        }
  });
});
