import { describe, expect, it } from 'vitest';
import type { Ticket } from './api';
import { filtersFromQuery, groupRows, matches, NO_FILTERS, queryOf, setPriorityOrder } from './ticketOrder';

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

  it('groups by assignee, priority and label, the unset ones last and a ticket in each of its labels', () => {
    const shape = (group: typeof NO_FILTERS.group) =>
      groupRows(all, { ...NO_FILTERS, group }).map((r) =>
        r.kind === 'group' ? `[${r.name} ${r.count}]` : r.ticket.id,
      );
    expect(shape('assignee')).toEqual(['[ann 1]', 'c', '[No assignee 3]', 'b', 'a', 'e']);
    expect(shape('priority')).toEqual(['[urgent 1]', 'b', '[low 1]', 'a', '[none 2]', 'c', 'e']);
    const labelled = [t('x', { labels: ['ui', 'api'] }), t('y', {})];
    expect(
      groupRows(labelled, { ...NO_FILTERS, group: 'label' }).map((r) => (r.kind === 'group' ? r.name : r.ticket.id)),
    ).toEqual(['api', 'x', 'ui', 'x', 'No label', 'y']);
    expect(shape('none')).toEqual(['b', 'a', 'c', 'e']);
  });

  it('finds by the server search hits too, beside the local title match', () => {
    const hits = new Map([['a', 'the [zebra] crossing']]);
    expect(all.filter((x) => matches(x, { ...NO_FILTERS, text: 'zebra' }, hits)).map((x) => x.id)).toEqual(['a']);
    expect(all.filter((x) => matches(x, { ...NO_FILTERS, text: 'zebra' })).map((x) => x.id)).toEqual([]);
  });

  it('writes filters to a query string and reads them back; junk falls back to the defaults', () => {
    const f = { ...NO_FILTERS, priority: 'high', text: 'a & b=c', group: 'label' as const, sort: 'updated' as const };
    expect(filtersFromQuery(queryOf(f))).toEqual(f);
    expect(queryOf(NO_FILTERS)).toBe('');
    expect(filtersFromQuery('?group=nonsense&sort=evil&state=*')).toEqual({ ...NO_FILTERS, state: '*' });
  });

  it("orders priorities as the schema names them, and an unknown state last, as the server's workflow order does", () => {
    const ids = (xs: Ticket[]) => groupRows(xs, NO_FILTERS).flatMap((r) => (r.kind === 'ticket' ? [r.ticket.id] : []));
    const own = [
      t('p1', { priority: 'p1', updated: '2026-01-01T00:00:00Z' }),
      t('p0', { priority: 'p0', updated: '2026-01-01T00:00:00Z' }),
      t('none', { priority: 'none', updated: '2026-01-03T00:00:00Z' }),
      t('odd', { status: 'limbo', category: 'limbo' }),
      t('late', { priority: 'p1', updated: '2026-01-02T00:00:00Z' }),
    ];
    setPriorityOrder(['none', 'p0', 'p1']);
    try {
      expect(ids(own)).toEqual(['p0', 'late', 'p1', 'none', 'odd']);
    } finally {
      setPriorityOrder(['none', 'urgent', 'high', 'medium', 'low']);
    }
  });

  it("sub-groups each group by another property, in that property's order, and keeps it in the URL", () => {
    const xs = [
      t('a', { assignee: 'bo', priority: 'low' }),
      t('b', { priority: 'urgent' }),
      t('c', { status: 'in-progress', category: 'started', assignee: 'bo' }),
      t('d', { assignee: 'ann', priority: 'urgent' }),
    ];
    const f = { ...NO_FILTERS, sub: 'assignee' as const };
    const shape = groupRows(xs, f).map((r) =>
      r.kind === 'group' ? `${r.sub ? '  ' : ''}[${r.name} ${r.count}]` : r.ticket.id,
    );
    expect(shape).toEqual([
      '[Todo 3]',
      '  [ann 1]',
      'd',
      '  [bo 1]',
      'a',
      '  [No assignee 1]',
      'b',
      '[In progress 1]',
      '  [bo 1]',
      'c',
    ]);
    expect(queryOf(f)).toBe('?sub=assignee');
    expect(filtersFromQuery('?sub=assignee').sub).toBe('assignee');
    expect(filtersFromQuery('?sub=bogus').sub).toBe('none');
    // The same property twice, or no groups: no sub-groups.
    expect(groupRows(xs, { ...f, sub: 'state' }).filter((r) => r.kind === 'group' && r.sub)).toEqual([]);
    expect(groupRows(xs, { ...f, group: 'none' }).some((r) => r.kind === 'group')).toBe(false);
  });
});
