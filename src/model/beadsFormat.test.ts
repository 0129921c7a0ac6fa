import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { beadsLine, toBeadsJsonl } from './beadsFormat.js';
import type { ExportTicket } from './exportFormats.js';
import { DEFAULT_SCHEMA_YAML, parseSchema } from './schema.js';

const schema = parseSchema(parseYaml(DEFAULT_SCHEMA_YAML));

/** A ticket imported from beads as `bd-N`, depending on the one before it (beads kept the record). */
function imported(n: number): ExportTicket {
  const dependencies = n ? [{ issue_id: `bd-${n}`, depends_on_id: `bd-${n - 1}`, type: 'blocks' }] : [];
  return {
    id: `tk-${n}`,
    fields: { title: `issue ${n}`, aliases: [`bd-${n}`], beads: { dependencies }, status: 'todo', priority: 'medium' },
    body: '',
    comments: [],
    blockedBy: n ? [`tk-${n - 1}`] : [],
  };
}

describe('beads export', () => {
  it('looks up each key a bounded number of times, however many issues keep dependencies', () => {
    // It once made the set of every exported key again for each issue: 100,000 issues took
    // longer than 12 minutes. A lookup is a query of the index, so their count is the cost.
    const tickets = Array.from({ length: 2000 }, (_, n) => imported(n));
    let lookups = 0;
    const keyOf = (id: string) => {
      lookups++;
      return `bd-${id.slice(3)}`;
    };
    const lines = toBeadsJsonl(tickets, schema, keyOf).trimEnd().split('\n');
    expect(lines).toHaveLength(2000);
    expect(lookups).toBeLessThan(tickets.length * 5);
    expect(JSON.parse(lines[7]).dependencies).toEqual([{ issue_id: 'bd-7', depends_on_id: 'bd-6', type: 'blocks' }]);
  });

  it('asks for the set of exported keys only when an issue keeps a dependency beads had', () => {
    let asked = 0;
    const keys = () => {
      asked++;
      return new Set<string>();
    };
    const plain = { ...imported(3), fields: { title: 'x' }, blockedBy: [] };
    expect(beadsLine(plain, { schema, keyOf: (id) => id, keys })).toMatch(/\n$/);
    expect(asked).toBe(0);
    // Kept as it was: its target is not among the exported keys (outside the store).
    const line = JSON.parse(beadsLine({ ...imported(3), blockedBy: [] }, { schema, keyOf: (id) => id, keys }));
    expect(asked).toBe(1);
    expect(line.dependencies).toEqual([{ issue_id: 'bd-3', depends_on_id: 'bd-2', type: 'blocks' }]);
  });
});
