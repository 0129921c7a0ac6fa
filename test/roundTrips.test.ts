import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git, revParse, tack, tackImport, tackJson, tackRaw, tempStore, trackCleanups } from './helpers.js';
import { commitToStore, ticketText } from './storeFiles.js';

/*
 * Export then import of each format on the same store changes nothing: 0 created, 0
 * updated, no commit. On the real data of other trackers and on a store made in Tack.
 */

const DATA = resolve(__dirname, 'fixtures/shared/data');
const FORMATS = ['jsonl', 'markdown', 'beads'] as const;
const track = trackCleanups();
const out = mkdtempSync(join(tmpdir(), 'tack-roundtrip-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function roundTrip(dir: string, format: (typeof FORMATS)[number]): { created: number; updated: number } {
  const file = join(out, `${Math.random().toString(36).slice(2)}.${format}`);
  tack(dir, 'export', format, '--out', file);
  const head = revParse(dir, 'tack');
  const res = tackImport(dir, format, file);
  expect(revParse(dir, 'tack'), `${format}: ${res.created} created, ${res.updated} updated`).toBe(head);
  return { created: res.created, updated: res.updated };
}

function storeFrom(kind: string, source: string): string {
  const r = tempStore();
  track(r.cleanup);
  tackImport(r.dir, kind, source);
  return r.dir;
}

describe('export → import on the same store changes nothing', () => {
  const sources: Array<[string, string, string]> = [
    ['beads (704 real issues)', 'beads', join(DATA, 'beads/issues.jsonl')],
    ['Backlog.md (a real project)', 'backlog', join(DATA, 'backlog-md/backlog')],
    ['a real TASKS.md', 'markdown', join(DATA, 'markdown/TASKS.md')],
  ];
  for (const [name, kind, source] of sources) {
    it(`${name}: jsonl, markdown and beads`, () => {
      const dir = storeFrom(kind, source);
      for (const format of FORMATS) expect(roundTrip(dir, format), format).toEqual({ created: 0, updated: 0 });
    }, 240_000);
  }

  it('a store made in Tack: ids without a digit, parents, headings, code and field-like lines in bodies', () => {
    const r = tempStore();
    track(r.cleanup);
    const body = [
      'Intro line.',
      '',
      '## Design',
      '',
      '```bash',
      '# a shell comment, not a heading',
      '```',
      '',
      '- Status: this line only looks like a field',
      '',
    ].join('\n');
    commitToStore(
      r.dir,
      {
        'tickets/tk-abcdefgh.md': ticketText(
          {
            id: 'tk-abcdefgh',
            title: 'No digit in my id',
            type: 'epic',
            status: 'todo',
            created: '2026-01-01T00:00:00Z',
          },
          body,
        ),
        'tickets/tk-bcdefghi.md': ticketText({
          id: 'tk-bcdefghi',
          title: 'Child of the epic',
          status: 'in-progress',
          parent: 'tk-abcdefgh',
          created: '2026-01-01T00:00:00Z',
        }),
      },
      'hand-written tickets',
    );
    const other = tackJson(r.dir, 'create', 'Blocked by the child', '--parent', 'tk-abcdefgh').id as string;
    tack(r.dir, 'link', 'tk-bcdefghi', 'blocks', other);
    tack(r.dir, 'comment', other, 'A comment');
    for (const format of FORMATS) expect(roundTrip(r.dir, format), format).toEqual({ created: 0, updated: 0 });
    expect(tackJson(r.dir, 'show', 'tk-bcdefghi').parent).toBe('tk-abcdefgh');
  });
});

describe('tack import jsonl', () => {
  it('moves a whole store into an empty one: same ids, byte-identical ticket files', () => {
    const from = storeFrom('beads', join(DATA, 'beads/issues.jsonl'));
    const file = join(out, 'all.jsonl');
    tack(from, 'export', 'jsonl', '--out', file);
    const to = tempStore();
    track(to.cleanup);
    const res = tackImport(to.dir, 'jsonl', file);
    expect(res.created).toBe(704);
    const tree = (dir: string) => git(dir, 'ls-tree', '-r', 'tack', 'tickets/');
    expect(tree(to.dir)).toBe(tree(from));
  }, 240_000);

  it('refuses a line that is not a ticket, naming the line, and writes nothing', () => {
    const r = tempStore();
    track(r.cleanup);
    const head = revParse(r.dir, 'tack');
    const bad = join(out, 'bad.jsonl');
    writeFileSync(bad, '{"id":"tk-abcdefgh","title":"ok"}\n{"id":"tk-bcdefghi","description":7}\n');
    const res = tackRaw(r.dir, ['import', 'jsonl', bad, '--json']);
    expect(res.status).not.toBe(0);
    expect(JSON.parse(res.stderr.trim()).error.message).toMatch(/line 2: description must be a string; received 7/);
    expect(revParse(r.dir, 'tack')).toBe(head);
  });
});
