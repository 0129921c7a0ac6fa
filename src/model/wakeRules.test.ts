import { describe, expect, it } from 'vitest';
import { type WakeFacts, wakesOf } from './wakeRules.js';

const base: WakeFacts = {
  op: 'update',
  id: 'tk-child',
  type: 'task',
  assignee: 'agent-1',
  parent: null,
  parentAssignee: null,
  created: false,
  categoryTo: null,
};

describe('wake rules', () => {
  it('wakes the asker on an answer, the owner on a submission, the parent owner on a done or parked child', () => {
    expect(wakesOf({ ...base, op: 'answer' })).toEqual([{ why: 'answered', who: 'agent-1', ticket: 'tk-child' }]);
    const review = { ...base, op: 'submit', id: 'tk-rev', type: 'review', assignee: 'Ann', created: true };
    expect(wakesOf(review)).toEqual([{ why: 'submitted', who: 'Ann', ticket: 'tk-rev' }]);
    // The work ticket of the same submit commit wakes nobody: one wake per submission.
    expect(wakesOf({ ...base, op: 'submit' })).toEqual([]);
    const child = { ...base, parent: 'tk-epic', parentAssignee: 'Bob' };
    expect(wakesOf({ ...child, categoryTo: 'completed' })).toEqual([
      { why: 'child-done', who: 'Bob', ticket: 'tk-epic' },
    ]);
    expect(wakesOf({ ...child, op: 'ask' })).toEqual([{ why: 'child-blocked', who: 'Bob', ticket: 'tk-epic' }]);
    expect(wakesOf({ ...child, categoryTo: 'started' })).toEqual([]);
    expect(wakesOf({ ...base, categoryTo: 'completed' })).toEqual([]); // no parent, nobody to tell
  });
});
