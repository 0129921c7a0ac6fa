import { describe, expect, it } from 'vitest';
import type { TicketDetails } from './api';
import { relationChanges, relationFields, ticketText } from './historyText';

const titles: Record<string, string> = { 'tk-a': 'Alpha', 'tk-b': 'Beta' };
const titleOf = (id: string) => titles[id];

describe('relation changes in the history', () => {
  it('names what a commit added and removed, with titles where known', () => {
    expect(relationChanges({ field: 'blocks', old: null, new: '["tk-a"]' }, titleOf)).toEqual([
      'added blocks tk-a (Alpha)',
    ]);
    expect(relationChanges({ field: 'blocks', old: '["tk-a","tk-gone"]', new: '["tk-b"]' }, titleOf)).toEqual([
      'added blocks tk-b (Beta)',
      'removed blocks tk-a (Alpha)',
      'removed blocks tk-gone',
    ]);
    expect(relationChanges({ field: 'parent', old: 'tk-a', new: null }, titleOf)).toEqual([
      'removed parent tk-a (Alpha)',
    ]);
    expect(relationChanges({ field: 'related', old: '["tk-a"]', new: '["tk-a"]' }, titleOf)).toEqual([]);
  });

  it('takes parent, links and every relation kind the server knows as relation fields', () => {
    expect([...relationFields({ relations: { blocks: [], blocked_by: [], mentors: [] } })].sort()).toEqual([
      'blocked_by',
      'blocks',
      'links',
      'mentors',
      'parent',
    ]);
  });

  it("puts the ticket's own relations, titled, into the text two versions are diffed by", () => {
    const t = {
      title: 'T',
      labels: [],
      parent: 'tk-a',
      blocks: ['tk-b'],
      related: [],
      duplicates: [],
      blocked_by: ['tk-x'],
      links: ['docs/spec.md'],
      description: 'd',
      comments: [],
      refs: {
        'tk-a': { short_id: 'tk-a', title: 'Alpha', status: 'todo' },
        'tk-b': { short_id: 'tk-b', title: 'Beta', status: 'todo' },
      },
    } as unknown as TicketDetails;
    const text = ticketText(t);
    expect(text).toContain('parent tk-a (Alpha)\nblocks tk-b (Beta)\nlink docs/spec.md');
    expect(text).not.toContain('tk-x'); // blocked-by comes from the other ticket's file
  });
});
