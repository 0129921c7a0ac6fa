import { describe, expect, it } from 'vitest';
import { cellsOf, otherCells, readCsv } from './csvTable.js';
import { jiraTime } from './jiraImport.js';

describe('readCsv', () => {
  it('keeps repeated headers by position, quoted newlines, quotes and a BOM', () => {
    const t = readCsv('\uFEFFSummary,Labels,Labels,Note\r\n"a\nb ""c""",x,y,\r\n', 'a test CSV');
    expect(t.header).toEqual(['Summary', 'Labels', 'Labels', 'Note']);
    const c = cellsOf(t, t.rows[0]);
    expect(c.one('Summary')).toBe('a\nb "c"');
    expect(c.all('Labels')).toEqual(['x', 'y']);
    expect(otherCells(t, t.rows[0], new Set(['summary']))).toEqual({ Labels: ['x', 'y'] });
  });

  it('refuses a malformed file naming what it expected', () => {
    expect(() => readCsv('A,B\n"x,y\n', 'a test CSV')).toThrow(/not a test CSV: .*quote/i);
    expect(() => readCsv('', 'a test CSV')).toThrow(/the file is empty; expected a header row/);
  });
});

describe('jiraTime', () => {
  it.each([
    ['01/Oct/25 9:00 AM', '2025-10-01T09:00:00.000Z'],
    ['02/Oct/25 12:15 AM', '2025-10-02T00:15:00.000Z'],
    ['02/Oct/25 12:15 PM', '2025-10-02T12:15:00.000Z'],
    ['03/Oct/2025 23:59', '2025-10-03T23:59:00.000Z'],
    ['2025-10-04T10:00:00Z', '2025-10-04T10:00:00.000Z'],
  ])('%s → %s', (s, iso) => expect(jiraTime(s)).toBe(iso));

  it.each(['', 'yesterday', '01/Foo/25 9:00 AM'])('%j is not a time', (s) => expect(jiraTime(s)).toBeUndefined());
});
