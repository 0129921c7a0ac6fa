import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, importedStore, revParse, tackImport, tackJson, trackCleanups } from './helpers.js';

/*
 * Re-import of a GitHub, Jira, Linear or Trello export with an item removed (the path
 * Backlog.md and beads share, importDeletions.test.ts): listed as missing and nothing
 * changed; with --close-missing the ticket is canceled, naming the source, and kept.
 */

const fixture = (...p: string[]) => readFileSync(join(import.meta.dirname, 'fixtures', ...p), 'utf8');

/** A CSV row with `cells` under the header's columns of those names, every other cell empty. */
const csvRow = (csv: string, cells: Record<string, string>) =>
  csv
    .split('\n')[0]!
    .split(',')
    .map((h) => cells[h] ?? '')
    .join(',');
const withRow = (csv: string, cells: Record<string, string>) => `${csv.replace(/\n*$/, '\n')}${csvRow(csv, cells)}\n`;

const ghIssues = JSON.parse(fixture('github', 'issues.json')) as Array<Record<string, unknown>>;
const linearCsv = fixture('linear', 'export.csv');
const jiraCsv = fixture('jira', 'export.csv');
const tid = (n: number) => `65a00000${n.toString(16).padStart(16, '0')}`;
const trelloBoard = (cards: number[]) =>
  JSON.stringify({
    id: tid(1),
    name: 'Roadmap',
    lists: [{ id: tid(2), name: 'To Do', closed: false }],
    members: [],
    cards: cards.map((n) => ({
      id: tid(n),
      shortLink: `Card${n}xx`,
      name: `Card ${n}`,
      desc: '',
      closed: false,
      idList: tid(2),
      idMembers: [],
      labels: [],
      dateLastActivity: '2026-11-01T10:00:00.000Z',
    })),
    actions: [],
  });

interface Case {
  kind: string;
  name: string;
  /** The export with the extra open item, and without it. */
  full: string;
  less: string;
  /** How `tack show` finds the extra item's ticket (its alias). */
  key: string;
}

const cases: Case[] = [
  {
    kind: 'github',
    name: 'issues.json',
    full: JSON.stringify([...ghIssues, { ...ghIssues[0], number: 99, title: 'Going away', comments: [] }]),
    less: JSON.stringify(ghIssues),
    key: 'github:acme/widgets#99',
  },
  {
    kind: 'jira',
    name: 'export.csv',
    full: withRow(jiraCsv, {
      Summary: 'Going away',
      'Issue key': 'PAY-9',
      'Issue id': '10009',
      'Issue Type': 'Task',
      Status: 'To Do',
      'Project key': 'PAY',
      Priority: 'Medium',
      Reporter: 'bob',
      Created: '01/Oct/25 9:05 AM',
      Updated: '01/Oct/25 9:05 AM',
    }),
    less: jiraCsv,
    key: 'PAY-9',
  },
  {
    kind: 'linear',
    name: 'export.csv',
    full: withRow(linearCsv, {
      ID: 'ENG-9',
      Team: 'Engineering',
      Title: 'Going away',
      Status: 'Todo',
      Priority: 'Medium',
      Creator: 'bob@example.com',
      Created: 'Wed Oct 01 2025 11:00:00 GMT+0000 (Coordinated Universal Time)',
      Updated: 'Wed Oct 01 2025 11:00:00 GMT+0000 (Coordinated Universal Time)',
    }),
    less: linearCsv,
    key: 'ENG-9',
  },
  { kind: 'trello', name: 'board.json', full: trelloBoard([10, 11]), less: trelloBoard([10]), key: 'Card11xx' },
];

describe('re-import with an item gone from the source', () => {
  const track = trackCleanups();
  for (const c of cases)
    it(`${c.kind}: listed as missing and nothing changed; --close-missing cancels it naming ${c.kind}`, () => {
      const s = importedStore(c.kind, c.name, c.full);
      track(s.cleanup);
      expect(s.first.skipped).toEqual([]);
      const before = tackJson(s.dir, 'show', c.key);
      expect(before.category).not.toMatch(/completed|canceled/);
      writeFileSync(s.file, c.less);
      const head = revParse(s.dir, 'tack');
      expect(tackImport(s.dir, c.kind, s.file)).toMatchObject({
        missing: 1,
        missing_tickets: [{ id: before.id }],
        closed: 0,
        commit: null,
      });
      expect(revParse(s.dir, 'tack')).toBe(head);
      expect(tackJson(s.dir, 'show', c.key).status).toBe(before.status);

      const res = tackImport(s.dir, c.kind, s.file, '--close-missing');
      expect(res).toMatchObject({ closed: 1, created: 0, closed_tickets: [{ id: before.id }] });
      const after = tackJson(s.dir, 'show', c.key);
      expect(after).toMatchObject({ id: before.id, category: 'canceled' });
      expect(after.resolution).toContain(`gone from the ${c.kind} source`);
      expect(git(s.dir, 'ls-tree', '--name-only', '-r', 'tack')).toContain(`${after.id}.md`);
      // The other tickets are untouched, and a further re-import has nothing to say.
      expect(tackImport(s.dir, c.kind, s.file, '--close-missing')).toMatchObject({
        missing: 0,
        closed: 0,
        commit: null,
      });
    });
});
