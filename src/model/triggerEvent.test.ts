import { describe, expect, it } from 'vitest';
import { buildEvent, eventId, eventKind, type CommitTicketFacts } from './triggerEvent.js';

const data = (fields: Record<string, unknown>, comments: Array<{ id: string; text: string }> = []) => ({
  fields,
  body: '',
  comments: comments.map((c) => ({ ...c, author: 'ann', created: '2026-11-21T10:00:00Z' })),
});

function facts(over: Partial<CommitTicketFacts>): CommitTicketFacts {
  return {
    sha: 'a'.repeat(40),
    parents: ['b'.repeat(40)],
    op: 'update',
    subject: 'update tk-1',
    author: 'Ann',
    email: 'ann@x',
    time: '2026-11-21T10:00:00Z',
    ticket: 'tk-1',
    rows: [],
    after: data({ id: 'tk-1', title: 'T', status: 'todo' }),
    before: null,
    added: false,
    archived: false,
    ref: 'refs/heads/tack',
    ...over,
  };
}

const category = (s: string) => (({ todo: 'unstarted', done: 'completed' }) as Record<string, string>)[s] ?? null;

describe('trigger events', () => {
  it('names what happened from the changed fields', () => {
    expect(eventKind(facts({ added: true }))).toBe('ticket.created');
    expect(eventKind(facts({ after: null, rows: [{ field: 'deleted', old: 'T', new: null }] }))).toBe('ticket.deleted');
    expect(eventKind(facts({ rows: [{ field: 'archived', old: 'false', new: 'true' }] }))).toBe('ticket.archived');
    expect(eventKind(facts({ rows: [{ field: 'archived', old: 'true', new: 'false' }] }))).toBe('ticket.restored');
    expect(eventKind(facts({ rows: [{ field: 'comment', old: null, new: 'c-1: hi' }] }))).toBe('ticket.commented');
    expect(eventKind(facts({ op: 'claim', rows: [{ field: 'assignee', old: null, new: 'ann' }] }))).toBe(
      'ticket.claimed',
    );
    expect(eventKind(facts({ rows: [{ field: 'title', old: 'a', new: 'b' }] }))).toBe('ticket.updated');
  });

  it('a status change answers to the state and its category; from/to hold the values', () => {
    const e = buildEvent(
      facts({
        rows: [
          { field: 'status', old: 'todo', new: 'done' },
          { field: 'labels', old: null, new: '["x","y"]' },
          { field: 'comment', old: null, new: 'c-2: ok' },
        ],
        before: data({ id: 'tk-1', title: 'T', status: 'todo' }, [{ id: 'c-1', text: 'old' }]),
        after: data({ id: 'tk-1', title: 'T', status: 'done', labels: ['x', 'y'] }, [
          { id: 'c-1', text: 'old' },
          { id: 'c-2', text: 'ok' },
        ]),
      }),
      category,
    );
    expect(e.event).toBe('ticket.updated');
    expect(e.names).toEqual(['ticket.updated', 'ticket.status.done', 'ticket.category.completed', 'ticket.commented']);
    expect(e.change.fields).toEqual(['status', 'labels', 'comment']);
    expect(e.change.from).toEqual({ status: 'todo', labels: null });
    expect(e.change.to).toEqual({ status: 'done', labels: ['x', 'y'] });
    expect(e.change.comments.map((c) => c.id)).toEqual(['c-2']);
    expect(e.ticket).toMatchObject({ id: 'tk-1', status: 'done', category: 'completed', labels: ['x', 'y'] });
    expect(e.actor).toEqual({ name: 'Ann', email: 'ann@x' });
    expect(e.commit.sha).toBe('a'.repeat(40));
  });

  it('a deleted ticket is described by its last version; ids are stable per commit and ticket', () => {
    const e = buildEvent(
      facts({
        after: null,
        before: data({ id: 'tk-1', title: 'Gone', status: 'todo' }),
        rows: [{ field: 'deleted', old: 'Gone', new: null }],
      }),
      category,
    );
    expect(e.event).toBe('ticket.deleted');
    expect(e.names).toEqual(['ticket.deleted']);
    expect(e.ticket.title).toBe('Gone');
    expect(e.id).toBe(eventId('a'.repeat(40), 'tk-1'));
    expect(eventId('a'.repeat(40), 'tk-2')).not.toBe(e.id);
    expect(e.id).toMatch(/^evt_[0-9a-f]{24}$/);
  });
});
