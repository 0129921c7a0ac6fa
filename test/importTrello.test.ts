import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revParse, tackImport, tackJson, tackRaw, importedStore } from './helpers.js';

/* `tack import trello`: a board export in the shape of Trello's "Export as JSON". */

const id = (n: number) => `65a00000${n.toString(16).padStart(16, '0')}`;
const board = {
  id: id(1),
  name: 'Roadmap',
  lists: [
    { id: id(2), name: 'To Do', closed: false },
    { id: id(3), name: 'Doing', closed: false },
    { id: id(4), name: 'Done ✓', closed: false },
    { id: id(5), name: 'Old ideas', closed: true },
  ],
  members: [
    { id: id(6), username: 'alice' },
    { id: id(7), username: 'bob' },
  ],
  cards: [
    {
      id: id(10),
      shortLink: 'AbCd1234',
      url: 'https://trello.com/c/AbCd1234/1-gr-e',
      name: 'Grüße – ship the parser',
      desc: 'The parser, at last.',
      closed: false,
      idList: id(3),
      idMembers: [id(6), id(7)],
      labels: [
        { name: 'parser', color: 'green' },
        { name: '', color: 'red' },
      ],
      due: '2026-12-24T12:00:00.000Z',
      dueComplete: false,
      dateLastActivity: '2026-11-01T10:00:00.000Z',
    },
    {
      id: id(11),
      shortLink: 'EfGh5678',
      name: 'Shipped thing',
      closed: false,
      idList: id(4),
      idMembers: [],
      labels: [],
    },
    {
      id: id(12),
      shortLink: 'IjKl9012',
      name: 'Archived card',
      closed: true,
      idList: id(2),
      idMembers: [],
      labels: [],
    },
    {
      id: id(13),
      shortLink: 'MnOp3456',
      name: 'In a closed list',
      closed: false,
      idList: id(5),
      idMembers: [],
      labels: [],
    },
  ],
  checklists: [
    {
      id: id(20),
      idCard: id(10),
      name: 'Steps',
      checkItems: [
        { name: 'tokens', state: 'complete', pos: 1 },
        { name: 'tree', state: 'incomplete', pos: 2 },
      ],
    },
  ],
  actions: [
    {
      id: id(31),
      type: 'commentCard',
      date: '2026-11-02T00:00:00.000Z',
      data: { text: 'second — 日本語', card: { id: id(10) } },
      memberCreator: { username: 'bob' },
    },
    { id: id(32), type: 'updateCard', date: '2026-11-01T12:00:00.000Z', data: { card: { id: id(10) } } },
    {
      id: id(30),
      type: 'commentCard',
      date: '2026-11-01T00:00:00.000Z',
      data: { text: 'first', card: { id: id(10) } },
      memberCreator: { username: 'alice' },
    },
  ],
};

describe('tack import trello', () => {
  let dir = '';
  let cleanup = () => {};
  let file = '';
  let first: any;
  beforeAll(() => {
    ({ dir, file, first, cleanup } = importedStore('trello', 'board.json', JSON.stringify(board)));
  });
  afterAll(() => cleanup());

  it('makes one ticket per card: list as state, members, labels, due, checklists, comments', () => {
    expect(first).toMatchObject({ total: 4, created: 4 });
    const t = tackJson(dir, 'show', 'AbCd1234');
    expect(t).toMatchObject({
      title: 'Grüße – ship the parser',
      status: 'doing',
      category: 'started',
      labels: ['parser', 'red'],
      assignee: 'alice',
      extra: expect.objectContaining({ due: '2026-12-24' }),
    });
    expect(t.extra.trello).toMatchObject({ id: id(10), list: 'Doing', members: ['alice', 'bob'] });
    expect(t.description).toContain('The parser, at last.');
    expect(t.description).toContain('## Steps\n\n- [x] tokens\n- [ ] tree');
    expect(t.comments.map((c: any) => [c.author, c.body.trim()])).toEqual([
      ['alice', 'first'],
      ['bob', 'second — 日本語'],
    ]);
    expect(tackJson(dir, 'show', id(10)).id).toBe(t.id);
    expect(tackJson(dir, 'show', 'EfGh5678')).toMatchObject({ status: 'done', category: 'completed' });
  });

  it('archives archived cards and the cards of archived lists', () => {
    const archived = tackJson(dir, 'list', '--archived').map((x: any) => x.title);
    expect(archived).toEqual(expect.arrayContaining(['Archived card', 'In a closed list']));
  });

  it('a re-import changes nothing; a changed card updates its ticket', () => {
    const head = revParse(dir, 'HEAD');
    expect(tackImport(dir, 'trello', file)).toMatchObject({ created: 0, unchanged: 4 });
    expect(revParse(dir, 'HEAD')).toBe(head);
    board.cards[1].name = 'Shipped thing, renamed';
    writeFileSync(file, JSON.stringify(board));
    expect(tackImport(dir, 'trello', file)).toMatchObject({ created: 0, updated: 1 });
    expect(tackJson(dir, 'show', 'EfGh5678').title).toBe('Shipped thing, renamed');
  });

  it('refuses a file that is not a board export, writing nothing', () => {
    const head = revParse(dir, 'HEAD');
    writeFileSync(file, JSON.stringify({ cards: 'nope' }));
    const r = tackRaw(dir, ['import', 'trello', file, '--json']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/not a Trello board export/);
    expect(revParse(dir, 'HEAD')).toBe(head);
  });
});
