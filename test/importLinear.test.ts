import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revParse, tackImport, tackJson, tackRaw, importedStore } from './helpers.js';

/* `tack import linear`: Linear's CSV export (fixture written by hand with the export's columns). */

const FIXTURE = join(import.meta.dirname, 'fixtures', 'linear', 'export.csv');

describe('tack import linear', () => {
  let dir = '';
  let cleanup = () => {};
  let file = '';
  let first: any;
  beforeAll(() => {
    ({ dir, file, first, cleanup } = importedStore('linear', 'export.csv', readFileSync(FIXTURE)));
  });
  afterAll(() => cleanup());

  it('one ticket per row keyed by identifier: status, priority, labels, project, parent, times', () => {
    expect(first).toMatchObject({ total: 3, created: 3, skipped: [] });
    const one = tackJson(dir, 'show', 'ENG-1');
    expect(one).toMatchObject({
      title: 'Sync engine',
      status: 'in-progress',
      category: 'started',
      priority: 'high',
      labels: ['Backend', 'Infra'],
      assignee: 'alice@example.com',
      project: 'linear-sync-v2',
      created: '2025-10-01T08:00:00.000Z',
    });
    expect(one.description).toBe('Make sync\n"exactly once"\n');
    expect(one.extra.linear).toMatchObject({ Team: 'Engineering', Estimate: '5', 'Cycle Name': 'Cycle 7' });
  });

  it('takes the category from Completed / Canceled; keeps leading -- and = as text; archives archived rows', () => {
    const two = tackJson(dir, 'show', 'ENG-2');
    expect(two).toMatchObject({
      title: '--dry-run prints nothing',
      status: 'shipped',
      category: 'completed',
      priority: 'none',
    });
    expect(two.description.trim()).toBe('=1+1');
    expect(two.parent).toBe(tackJson(dir, 'show', 'ENG-1').id);
    expect(tackJson(dir, 'show', 'ENG-3')).toMatchObject({ status: 'duplicate', category: 'canceled' });
    expect(tackJson(dir, 'list', '--archived').map((x: any) => x.title)).toContain('Old idea');
  });

  it('a re-import makes no commit; an edited row updates its ticket', () => {
    const head = revParse(dir, 'HEAD');
    expect(tackImport(dir, 'linear', file)).toMatchObject({ created: 0, unchanged: 3 });
    expect(revParse(dir, 'HEAD')).toBe(head);
    writeFileSync(file, readFileSync(FIXTURE, 'utf8').replace('Old idea', 'Old idea renamed'));
    expect(tackImport(dir, 'linear', file)).toMatchObject({ created: 0, updated: 1 });
    expect(tackJson(dir, 'show', 'ENG-3').title).toBe('Old idea renamed');
  });

  it.each([
    ['a stray quote', 'ID,Title\nENG-9,"oops\n', /not a Linear CSV export/],
    ['a Jira export', 'Summary,Issue key\nx,PAY-1\n', /missing columns .*ID/],
  ])('refuses %s with a clear error, writing nothing', (_what, bad, msg) => {
    const head = revParse(dir, 'HEAD');
    writeFileSync(file, bad);
    const r = tackRaw(dir, ['import', 'linear', file, '--json']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(msg);
    expect(revParse(dir, 'HEAD')).toBe(head);
  });
});
