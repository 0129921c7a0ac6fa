import { describe, expect, it } from 'vitest';
import type { Ticket } from './api';
import { groupRows, matches, NO_FILTERS } from './ticketOrder';

const t = (id: string, o: Partial<Ticket>): Ticket => ({
  id,
  short_id: id,
  title: id,
  type: 'task',
  status: 'todo',
  category: 'unstarted',
  priority: 'none',
  labels: [],
  assignee: null,
  parent: null,
  project: null,
  created: '2026-01-01T00:00:00Z',
  updated: '2026-01-01T00:00:00Z',
  ...o,
});

describe('list grouping and filters', () => {
  const all = [
    t('a', { priority: 'low' }),
    t('b', { priority: 'urgent', labels: ['ui'] }),
    t('c', { status: 'in-progress', category: 'started', assignee: 'ann' }),
    t('d', { status: 'done', category: 'completed' }),
    t('e', { status: 'triage', category: 'triage', title: 'Parser crash' }),
  ];

  it('groups open work by category in workflow order, urgent first', () => {
    const rows = groupRows(all, NO_FILTERS);
    expect(rows.map((r) => (r.kind === 'group' ? `[${r.category} ${r.count}]` : r.ticket.id))).toEqual([
      '[triage 1]',
      'e',
      '[unstarted 2]',
      'b',
      'a',
      '[started 1]',
      'c',
    ]);
    expect(
      groupRows(all, { ...NO_FILTERS, state: '*' }).some((r) => r.kind === 'group' && r.category === 'completed'),
    ).toBe(true);
  });

  it('filters by every field and by text in title, id and labels', () => {
    const ids = (f: Partial<typeof NO_FILTERS>) =>
      all.filter((x) => matches(x, { ...NO_FILTERS, ...f })).map((x) => x.id);
    expect(ids({ label: 'ui' })).toEqual(['b']);
    expect(ids({ assignee: 'ann' })).toEqual(['c']);
    expect(ids({ assignee: 'none' })).toEqual(['a', 'b', 'e']);
    expect(ids({ state: 'done' })).toEqual(['d']);
    expect(ids({ text: 'parser' })).toEqual(['e']);
    expect(ids({ text: 'ui' })).toEqual(['b']);
    expect(ids({ priority: 'urgent' })).toEqual(['b']);
  });
});
