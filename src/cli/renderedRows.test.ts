import { describe, expect, it } from 'vitest';
import type { TicketSummary } from '../index/queries.js';
import { renderedRows, renderHuman } from './render.js';
import { setColorMode } from './colors.js';
import { terminalSafeValue } from './terminalSafe.js';

const summary = (n: number, status: string, id = `tk-${n}`): TicketSummary => ({
  id,
  short_id: id,
  title: `ticket ${n}`,
  type: 'task',
  status,
  category: 'unstarted',
  priority: 'medium',
  labels: n % 7 ? [] : ['seven'],
  assignee: n % 5 ? null : 'ann',
  parent: null,
  project: null,
  created: '2026-01-01T00:00:00Z',
  updated: '2026-01-01T00:00:00Z',
  resolution: null,
  source: 'local',
});

// 1,300 rows: three batches, the widest id and status only in the last one.
const ROWS = Array.from({ length: 1_300 }, (_, i) =>
  i === 1_299 ? summary(i, 'needs-context', 'tk-very-long-id') : summary(i, i < 600 ? 'todo' : 'backlog'),
);
const whole = (op: string, rows: unknown[]) => renderHuman(op, rows);
const streamed = (op: string, rows: unknown[]) =>
  [
    ...renderedRows(
      op,
      () => rows,
      (b) => b,
    ),
  ].join('');

describe('renderedRows', () => {
  setColorMode('never');

  it('a table written a batch at a time is the table renderHuman makes whole: its columns line up', () => {
    expect(streamed('list', ROWS)).toBe(whole('list', ROWS));
    expect(streamed('ready', ROWS)).toBe(whole('ready', ROWS));
    const stale = ROWS.map((r, i) => ({ ...r, idle_days: i === 700 ? 1234 : 3 }));
    expect(streamed('stale', stale)).toBe(whole('stale', stale));
    const lines = streamed('list', ROWS).split('\n');
    expect(new Set(lines.map((l) => l.indexOf('ticket'))).size).toBe(1);
  });

  it('widths are those of the rows as shown: a status made safe is wider than the one stored', () => {
    const safe = (rows: unknown[]) => terminalSafeValue(rows);
    const rows = [...ROWS.slice(0, 600), summary(600, 'bad\x1b[31mstatus')];
    expect([...renderedRows('list', () => rows, safe)].join('')).toBe(renderHuman('list', safe(rows)));
  });

  it('lines without columns, and no rows at all, as renderHuman says them', () => {
    const hits = ROWS.map((r) => ({ ...r, snippet: `…${r.title}…`, score: 1 }));
    expect(streamed('search', hits)).toBe(whole('search', hits));
    const blocked = ROWS.map((r) => ({ ...r, blocked_by: ['tk-1'], blocked_by_count: 3 }));
    expect(streamed('blocked', blocked)).toBe(whole('blocked', blocked));
    for (const op of ['list', 'ready', 'search', 'blocked', 'stale']) expect(streamed(op, [])).toBe(whole(op, []));
  });

  it('reads a table twice (widths, then lines) and other answers once', () => {
    let reads = 0;
    const read = () => {
      reads++;
      return ROWS;
    };
    [...renderedRows('list', read, (b) => b)];
    expect(reads).toBe(2);
    reads = 0;
    [...renderedRows('search', read, (b) => b)];
    expect(reads).toBe(1);
  });
});
