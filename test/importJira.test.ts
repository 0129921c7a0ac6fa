import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revParse, tackImport, tackJson, tackRaw, importedStore } from './helpers.js';

/* `tack import jira`: Jira's CSV export (fixture written by hand in its shape: repeated headers, `date;author;body` comments). */

const FIXTURE = join(import.meta.dirname, 'fixtures', 'jira', 'export.csv');

describe('tack import jira', () => {
  let dir = '';
  let cleanup = () => {};
  let file = '';
  let first: any;
  beforeAll(() => {
    ({ dir, file, first, cleanup } = importedStore('jira', 'export.csv', readFileSync(FIXTURE)));
  });
  afterAll(() => cleanup());

  it('one ticket per row keyed by issue key: type, status, priority, repeated labels, parent by id, comments', () => {
    expect(first).toMatchObject({ total: 4, created: 4, skipped: [] });
    const epic = tackJson(dir, 'show', 'PAY-1');
    expect(epic).toMatchObject({ title: 'Payments epic', type: 'epic', status: 'in-progress', priority: 'high' });
    expect(epic.created).toBe('2025-10-01T09:00:00.000Z');
    expect(epic.extra.jira).toMatchObject({ Reporter: 'bob', 'Project key': 'PAY' });
    expect(epic.extra.jira['Last Viewed']).toBeUndefined();
    const story = tackJson(dir, 'show', 'PAY-2');
    expect(story).toMatchObject({
      title: '--force refund',
      type: 'story',
      status: 'todo',
      labels: ['backend', 'refunds'],
    });
    expect(story.parent).toBe(epic.id);
    expect(story.description).toBe('Line one\nLine two with "quotes", a comma; and a semicolon\n');
    expect(story.comments.map((c: any) => [c.author, c.body.trim()])).toEqual([
      ['alice', 'First look; looks fine'],
      ['bob', '=HYPERLINK("http://evil","x")'],
    ]);
    expect(story.extra.jira['Custom field (Story Points)']).toBe('5');
  });

  it("keeps formula-like cells as plain text; Done + Won't Do is canceled", () => {
    const bug = tackJson(dir, 'show', 'PAY-3');
    expect(bug).toMatchObject({ title: "=cmd|' /C calc'!A0", status: 'canceled', priority: 'low' });
    expect(bug.description.trim()).toBe('@SUM(1+1)');
    expect(tackJson(dir, 'show', 'PAY-4')).toMatchObject({ status: 'done', priority: 'urgent', assignee: 'carol' });
  });

  it('a re-import makes no commit (even with a new Last Viewed); an edited row updates its ticket', () => {
    const head = revParse(dir, 'HEAD');
    writeFileSync(file, readFileSync(FIXTURE, 'utf8').replace('04/Dec/26 10:00 AM', '05/Dec/26 11:00 AM'));
    expect(tackImport(dir, 'jira', file)).toMatchObject({ created: 0, unchanged: 4 });
    expect(revParse(dir, 'HEAD')).toBe(head);
    writeFileSync(file, readFileSync(FIXTURE, 'utf8').replace('Fixed thing', 'Fixed thing renamed'));
    expect(tackImport(dir, 'jira', file)).toMatchObject({ created: 0, updated: 1 });
    expect(tackJson(dir, 'show', 'PAY-4').title).toBe('Fixed thing renamed');
  });

  it('imports a huge field as plain data', () => {
    const big = 'x'.repeat(300_000);
    writeFileSync(file, `Summary,Issue key,Description\nBig,BIG-1,"${big}"\n`);
    expect(tackImport(dir, 'jira', file)).toMatchObject({ created: 1 });
    expect(tackJson(dir, 'show', 'BIG-1').description.length).toBeGreaterThanOrEqual(300_000);
  });

  it.each([
    ['an unclosed quote', 'Summary,Issue key\n"oops,PAY-9\n', /not a Jira CSV export: .*quote/i],
    ['a file without the key column', 'Title,Status\nx,Done\n', /missing columns .*Issue key/],
    ['an empty file', '', /the file is empty/],
  ])('refuses %s with a clear error, writing nothing', (_what, bad, msg) => {
    const head = revParse(dir, 'HEAD');
    writeFileSync(file, bad);
    const r = tackRaw(dir, ['import', 'jira', file, '--json']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(msg);
    expect(revParse(dir, 'HEAD')).toBe(head);
  });

  it('skips a row whose key is not a Jira key (a title in the key column), naming it', () => {
    writeFileSync(file, 'Summary,Issue key\nx,--help\n');
    const s = tackImport(dir, 'jira', file, '--dry-run');
    expect(s.skipped[0].reason).toMatch(/is not a Jira key/);
  });
});
