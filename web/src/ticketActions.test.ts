import { describe, expect, it } from 'vitest';
import type { Schema, TicketDetails } from './api';
import { type TicketActionDeps, ticketActions } from './ticketActions';

const schema = {
  states: [
    { name: 'todo', category: 'unstarted' },
    { name: 'done', category: 'completed' },
  ],
  priorities: ['none', 'high'],
  types: ['task', 'bug'],
} as Schema;

function deps(t: Partial<TicketDetails>, me: string | null, calls: unknown[]): TicketActionDeps {
  const log = (what: string) => () => calls.push(what);
  return {
    t: { id: 'tk-1', status: 'todo', priority: 'none', type: 'task', assignee: null, ...t } as TicketDetails,
    schema,
    me,
    update: (patch) => calls.push(patch),
    focusAssignee: log('focus assignee'),
    focusLabels: log('focus labels'),
    editDescription: log('edit description'),
    editTitle: log('edit title'),
    addRelation: log('add relation'),
    newSubIssue: log('sub-issue'),
    askDelete: log('ask delete'),
    archive: log('archive'),
    restore: log('restore'),
    copy: (text, what) => calls.push(`copy ${what} ${text}`),
  };
}

const run = (d: TicketActionDeps, key: string) =>
  ticketActions(d)
    .find((a) => a.key === key)
    ?.run();
const keys = (d: TicketActionDeps) => ticketActions(d).map((a) => a.key);

describe('the palette actions of a ticket', () => {
  it('offers the changes that change something, each as the write its field makes', () => {
    const calls: unknown[] = [];
    const d = deps({}, 'ada', calls);
    expect(keys(d)).not.toContain('status:todo');
    expect(keys(d)).not.toContain('assign:none'); // nobody to unassign
    run(d, 'status:done');
    run(d, 'assign:me');
    run(d, 'type:bug');
    run(d, 'copy:id');
    run(d, 'delete');
    expect(calls).toEqual([{ status: 'done' }, { assignee: 'ada' }, { type: 'bug' }, 'copy the id tk-1', 'ask delete']);
  });

  it('offers unassign to an assigned ticket, and "assign to me" only when it is someone else\'s', () => {
    const calls: unknown[] = [];
    const mine = deps({ assignee: 'ada' }, 'ada', calls);
    expect(keys(mine)).not.toContain('assign:me');
    run(mine, 'assign:none');
    expect(calls).toEqual([{ assignee: 'none' }]);
    expect(keys(deps({ assignee: 'bob' }, 'ada', []))).toContain('assign:me');
    expect(keys(deps({}, null, []))).not.toContain('assign:me'); // who "me" is is not known yet
  });

  it('archives a live ticket and restores an archived one', () => {
    const calls: unknown[] = [];
    const live = deps({}, 'ada', calls);
    expect(keys(live)).not.toContain('restore');
    run(live, 'archive');
    const archived = deps({ archived: true }, 'ada', calls);
    expect(keys(archived)).not.toContain('archive');
    run(archived, 'restore');
    expect(calls).toEqual(['archive', 'restore']);
  });

  it('every action has a distinct key and a label', () => {
    const all = ticketActions(deps({ assignee: 'bob' }, 'ada', []));
    expect(new Set(all.map((a) => a.key)).size).toBe(all.length);
    for (const k of ['assign', 'labels', 'relation', 'sub-issue', 'copy:link', 'edit', 'title', 'delete'])
      expect(all.map((a) => a.key)).toContain(k);
  });
});
