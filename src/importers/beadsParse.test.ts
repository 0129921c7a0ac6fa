import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportRecord } from './importRecord.js';
import { beadsFileSource, parseBeads } from './beadsParse.js';

const line = (o: object) => JSON.stringify(o);

describe('parseBeads', () => {
  const text = [
    line({
      id: 'bd-1',
      title: 'Epic',
      status: 'open',
      priority: 0,
      issue_type: 'epic',
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
    }),
    line({
      id: 'bd-2',
      title: 'Child',
      description: 'Do it',
      design: 'Like so',
      notes: '',
      status: 'blocked',
      priority: 4,
      issue_type: 'chore',
      labels: ['a'],
      parent: 'bd-1',
      owner: 'me@x',
      comments: [{ id: 7, author: 'ann', text: 'hi', created_at: '2026-01-02T00:00:00Z' }],
      dependencies: [
        { issue_id: 'bd-2', depends_on_id: 'bd-1', type: 'parent-child' },
        { issue_id: 'bd-2', depends_on_id: 'bd-3', type: 'blocks' },
        { issue_id: 'bd-2', depends_on_id: 'bd-1', type: 'discovered-from' },
        { issue_id: 'bd-2', depends_on_id: 'bd-3', type: 'supersedes' },
      ],
    }),
    line({ id: 'bd-3', title: 'Blocker', status: 'weird', priority: 9 }),
  ].join('\n');
  const src = parseBeads(text);
  const rec = (k: string) => [...src.records].find((r) => r.key === k)!;

  it('maps statuses, priorities and types, and says what it had to invent', () => {
    expect(rec('bd-1').fields).toMatchObject({ status: 'todo', priority: 'urgent', type: 'epic' });
    expect(rec('bd-2').fields).toMatchObject({ status: 'blocked', priority: 'none', type: 'chore', labels: ['a'] });
    expect(rec('bd-3').fields).toMatchObject({ status: 'weird', priority: 'none' });
    expect(rec('bd-3').fields.beads).toMatchObject({ status: 'weird', priority: 9 });
    expect(src.needs.states).toContainEqual({ name: 'weird', category: 'triage' });
    expect(src.needs.types).toEqual(expect.arrayContaining(['epic', 'chore', 'task']));
    expect(src.warnings.some((w) => w.includes('bd-3') && w.includes('"weird"'))).toBe(true);
  });

  it('puts edges where Tack stores them: blocks on the blocker, others on the dependent', () => {
    expect(rec('bd-3').relations.blocks).toEqual(['bd-2']);
    expect(rec('bd-2').parent).toBe('bd-1');
    expect(rec('bd-2').relations.discovered_from).toEqual(['bd-1']);
    expect(rec('bd-2').relations.supersedes).toEqual(['bd-3']);
    expect(src.needs.relations.map((r) => r.name)).toEqual(['blocks', 'discovered_from', 'supersedes']);
    expect(src.needs.relations.find((r) => r.name === 'discovered_from')!.inverse).toBe('discovered');
  });

  it('keeps text fields in the body and everything else verbatim under beads', () => {
    expect(rec('bd-2').body).toBe('Do it\n\n## Design\n\nLike so');
    expect(rec('bd-2').fields.beads).toMatchObject({ owner: 'me@x', notes: '', body_sections: ['design'] });
    // Bare edges between records of the source are the relations above, nothing more to keep.
    expect((rec('bd-2').fields.beads as { dependencies?: unknown[] }).dependencies).toBeUndefined();
    expect(rec('bd-2').comments).toEqual([{ id: 'bd-7', author: 'ann', created: '2026-01-02T00:00:00Z', text: 'hi' }]);
  });

  it('refuses a line that is not an issue object, naming it', () => {
    expect(() => parseBeads('{"id":"x","title":"t"}\n[1,2]\n')).toThrow(/line 2/);
  });
});

describe('beadsFileSource: the records of a file made as they are read', () => {
  // Records as data, and whether each can name another parent (a function, compared by kind).
  const plain = (records: Iterable<ImportRecord>) =>
    [...records].map((r) => ({ ...JSON.parse(JSON.stringify(r)), resolver: typeof r.unresolvedParent }));
  const fixture = resolve(__dirname, '../../test/fixtures/shared/data/beads/issues.jsonl');
  const dir = mkdtempSync(join(tmpdir(), 'tack-beads-'));
  // Dependencies in every order: a `Blocks` type the blocker lists itself between edges its
  // blocked issues list, a self-edge, a second parent, a parent outside the source.
  const odd = join(dir, 'odd.jsonl');
  writeFileSync(
    odd,
    `${[
      {
        id: 'o-1',
        title: 'A',
        parent: 'zz-1',
        dependencies: [
          { issue_id: 'o-1', depends_on_id: 'o-2', type: 'Blocks' },
          { issue_id: 'o-1', depends_on_id: 'o-1', type: 'blocks' },
          { issue_id: 'o-1', depends_on_id: 'o-9', type: 'parent-child' },
          { issue_id: 'o-1', depends_on_id: 'o-3', type: 'parent-child' },
        ],
      },
      {
        id: 'o-2',
        title: 'B',
        status: 'weird',
        priority: 7,
        dependencies: [
          { issue_id: 'o-2', depends_on_id: 'o-1', type: 'blocks' },
          { issue_id: 'o-2', depends_on_id: 'nope', type: 'blocks' },
          { issue_id: 'o-2', depends_on_id: 'o-3', type: 'relates-to' },
        ],
      },
      { id: 'o-3', title: '', dependencies: [{ issue_id: 'o-3', depends_on_id: 'o-1', type: 'blocks' }] },
    ]
      .map(line)
      .join('\n')}\n\n`,
  );

  it('makes what parseBeads makes of the same text: records, schema needs, warnings, owned keys', () => {
    for (const path of [fixture, odd]) {
      const text = readFileSync(path, 'utf8');
      const whole = parseBeads(text);
      const streamed = beadsFileSource(path);
      expect(streamed.records.length).toBe(whole.records.length);
      expect(plain(streamed.records)).toEqual(plain(whole.records));
      expect(streamed.needs).toEqual(whole.needs);
      expect(streamed.warnings).toEqual(whole.warnings);
      expect(streamed.managedKeys).toEqual(whole.managedKeys);
    }
    expect(plain(beadsFileSource(odd).records)[0].relations.blocks).toEqual(['o-2', 'o-1', 'o-2', 'o-3']);
  });

  it('released, it reads the file again for the next pass, with the same records and no warning said twice', () => {
    const src = beadsFileSource(odd);
    const first = plain(src.records);
    const warnings = [...src.warnings];
    src.records.release?.();
    expect(plain(src.records)).toEqual(first);
    expect(src.warnings).toEqual(warnings);
    rmSync(dir, { recursive: true, force: true });
  });
});
