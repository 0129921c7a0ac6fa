import { describe, expect, it } from 'vitest';
import type { Ticket } from './api';
import { boardOrder, rankBefore } from './boardRank';

const t = (id: string, rank?: number, updated = '2026-01-01T00:00:00Z'): Ticket => ({
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
  created: updated,
  updated,
  rank,
});

describe('board rank', () => {
  it('orders ranked cards first, lower first, then the unranked newest first', () => {
    const list = [t('a'), t('b', 2), t('c', 1), t('d', undefined, '2026-02-01T00:00:00Z')].sort(boardOrder);
    expect(list.map((x) => x.id)).toEqual(['c', 'b', 'd', 'a']);
  });

  it('places a card between, before, after and among unranked cards', () => {
    const [c, b, d] = [t('c', 1), t('b', 2), t('d')];
    const list = [c, b, d];
    expect(rankBefore(list, b)).toBe(1.5);
    expect(rankBefore(list, c)).toBe(0);
    expect(rankBefore(list, d)).toBe(3);
    expect(rankBefore(list, undefined)).toBe(3);
    expect(rankBefore([d], d)).toBe(0);
    expect(rankBefore([], undefined)).toBe(0);
  });
});
