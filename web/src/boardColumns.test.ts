import { describe, expect, it } from 'vitest';
import type { Schema, Ticket } from './api';
import { boardColumnsOf, columnKeys, columnOf, isFolded, movedTo, parseFoldChoices, withFold } from './boardColumns';

const schema = {
  states: [
    { name: 'backlog', category: 'backlog' },
    { name: 'todo', category: 'unstarted' },
    { name: 'done', category: 'completed' },
  ],
  priorities: ['none', 'urgent', 'low'],
  types: ['task', 'bug', 'epic'],
} as Schema;
const t = (o: Partial<Ticket>) =>
  ({
    id: 'x',
    status: 'todo',
    priority: 'none',
    type: 'task',
    assignee: null,
    project: null,
    category: 'unstarted',
    ...o,
  }) as Ticket;
const main = (s: { category: string }) => s.category !== 'backlog';

describe('board columns', () => {
  it('falls back to states for a grouping that is not a column', () => {
    expect(boardColumnsOf('label')).toBe('state');
    expect(boardColumnsOf('assignee')).toBe('assignee');
  });

  it('lists states on the main path and used ones, every priority, used types, nobody first', () => {
    const cards = [t({ status: 'backlog', assignee: 'bo', type: 'bug' }), t({ project: 'web' })];
    expect(columnKeys('state', schema, cards, main)).toEqual(['backlog', 'todo', 'done']);
    expect(columnKeys('state', schema, [t({})], main)).toEqual(['todo', 'done']);
    expect(columnKeys('priority', schema, cards, main)).toEqual(['none', 'urgent', 'low']);
    expect(columnKeys('type', schema, cards, main)).toEqual(['task', 'bug']);
    expect(columnKeys('assignee', schema, cards, main)).toEqual(['none', 'bo']);
    expect(columnKeys('project', schema, cards, main)).toEqual(['none', 'web']);
  });

  it('moves a card by the field its columns are', () => {
    expect(movedTo(t({}), 'state', 'done', schema)).toMatchObject({ status: 'done', category: 'completed' });
    expect(movedTo(t({ assignee: 'bo' }), 'assignee', 'none', schema).assignee).toBeNull();
    expect(columnOf(movedTo(t({}), 'priority', 'urgent', schema), 'priority')).toBe('urgent');
  });
});

describe('folded columns', () => {
  it('folds empty columns, and closed states by state, unless the user chose otherwise', () => {
    expect(isFolded('todo', 'state', 0, schema, {})).toBe(true);
    expect(isFolded('todo', 'state', 3, schema, {})).toBe(false);
    expect(isFolded('done', 'state', 3, schema, {})).toBe(true);
    expect(isFolded('done', 'priority', 3, schema, {})).toBe(false); // a priority named "done" is not closed
    const opened = withFold({}, 'state', 'done', false);
    expect(isFolded('done', 'state', 3, schema, opened)).toBe(false);
    expect(isFolded('done', 'priority', 0, schema, opened)).toBe(true); // a choice is per grouping
    expect(isFolded('todo', 'state', 3, schema, withFold(opened, 'state', 'todo', true))).toBe(true);
  });

  it('reads kept choices, and nothing from anything but a map of booleans', () => {
    expect(parseFoldChoices('{"state:done":false,"x":"yes"}')).toEqual({ 'state:done': false });
    for (const bad of [null, '', 'not json', '[true]', 'null', '3']) expect(parseFoldChoices(bad)).toEqual({});
  });
});
