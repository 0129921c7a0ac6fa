import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import {
  cardToRemote,
  createdAtFromId,
  dueFromTrello,
  dueToTrello,
  listForState,
  stateForList,
  type TrelloCard,
} from './trelloMapping.js';
import { callbackCandidates, parseTrelloWebhook, verifyTrelloSignature } from './trelloWebhook.js';
import { withMarker } from '../connector.js';

const lists = { backlog: 'L-back', unstarted: 'L-todo', started: 'L-doing', completed: 'L-done' };

describe('Trello lists as states', () => {
  it('puts each category in its list, falling back to a neighbour', () => {
    expect(listForState(lists, 'started')).toBe('L-doing');
    expect(listForState(lists, 'triage')).toBe('L-back');
    expect(listForState(lists, 'canceled')).toBe('L-done');
    expect(listForState({ unstarted: 'A', completed: 'B' }, 'backlog')).toBe('A');
  });
  it('reads a list back as its category; unknown lists are unstarted', () => {
    expect(stateForList(lists, 'L-doing')).toBe('started');
    expect(stateForList(lists, 'L-done')).toBe('completed');
    expect(stateForList(lists, 'elsewhere')).toBe('unstarted');
    expect(stateForList({ unstarted: 'A', backlog: 'A', completed: 'B' }, 'A')).toBe('unstarted');
  });
});

describe('Trello card mapping', () => {
  const card: TrelloCard = {
    id: '65a0000000000000000000aa',
    shortLink: 'abCD1234',
    url: 'https://trello.com/c/abCD1234/1',
    name: 'Card',
    desc: withMarker('Text', 'tk-9'),
    closed: false,
    idList: 'L-doing',
    idMembers: ['M1'],
    labels: [
      { id: 'x', name: 'bug' },
      { id: 'y', name: '' },
    ],
    due: '2026-03-04T12:00:00.000Z',
    dateLastActivity: '2026-03-01T10:00:00.000Z',
  };
  const ctx = { lists, listNames: new Map([['L-doing', 'Doing']]), usernames: new Map([['M1', 'alice']]) };
  it('normalizes a card', () => {
    expect(cardToRemote(card, ctx)).toEqual({
      id: card.id,
      key: 'abCD1234',
      url: card.url,
      title: 'Card',
      description: 'Text',
      state: 'started',
      stateName: 'Doing',
      stateId: 'L-doing',
      labels: ['bug'],
      assignee: 'alice',
      due: '2026-03-04',
      createdAt: createdAtFromId(card.id),
      updatedAt: card.dateLastActivity,
      tackId: 'tk-9',
    });
  });
  it('reads archived cards as archived and comments with their action ids', () => {
    const r = cardToRemote(
      { ...card, closed: true, idMembers: [] },
      {
        ...ctx,
        comments: [
          {
            id: 'A1',
            type: 'commentCard',
            date: '2026-03-02T00:00:00.000Z',
            data: { text: withMarker('hi', 'c-1') },
            memberCreator: { username: 'bob' },
          },
        ],
      },
    );
    expect(r).toMatchObject({ archived: true, assignee: null });
    expect(r.comments).toEqual([
      { id: 'A1', author: 'bob', body: 'hi', createdAt: '2026-03-02T00:00:00.000Z', tackId: 'c-1' },
    ]);
  });
  it('converts due days and ids to dates', () => {
    expect(dueToTrello('2026-05-06')).toBe('2026-05-06T12:00:00.000Z');
    expect(dueToTrello(null)).toBe('');
    expect(dueFromTrello(null)).toBeNull();
    expect(createdAtFromId('65a0000000000000000000aa')).toBe(new Date(0x65a00000 * 1000).toISOString());
  });
});

describe('Trello webhook signature', () => {
  const body = Buffer.from(
    JSON.stringify({ action: { id: 'act1', date: '2026-03-01T00:00:00.000Z', data: { card: { id: 'card1' } } } }),
  );
  const cb = 'https://tack.example/hooks/trello';
  const sig = (secret: string, url = cb) =>
    createHmac('sha1', secret)
      .update(body.toString() + url)
      .digest('base64');
  it('accepts the base64 HMAC-SHA1 of body + callback URL', () => {
    expect(verifyTrelloSignature(body, { 'x-trello-webhook': sig('app-secret') }, 'app-secret', cb)).toBe(true);
  });
  it('rejects another secret, another callback URL, a changed body or no header', () => {
    expect(verifyTrelloSignature(body, { 'x-trello-webhook': sig('other') }, 'app-secret', cb)).toBe(false);
    expect(verifyTrelloSignature(body, { 'x-trello-webhook': sig('app-secret', `${cb}/x`) }, 'app-secret', cb)).toBe(
      false,
    );
    expect(
      verifyTrelloSignature(
        Buffer.from(body.toString().replace('card1', 'card2')),
        { 'x-trello-webhook': sig('app-secret') },
        'app-secret',
        cb,
      ),
    ).toBe(false);
    expect(verifyTrelloSignature(body, {}, 'app-secret', cb)).toBe(false);
    expect(verifyTrelloSignature(body, { 'x-trello-webhook': sig('app-secret') }, 'app-secret', undefined)).toBe(false);
  });
  it('accepts non-ASCII text hashed as latin-1 (each UTF-16 unit cut to a byte) or as UTF-8', () => {
    const text = Buffer.from(JSON.stringify({ action: { id: 'a2', data: { text: 'en – dash, 日本, 🎉' } } }));
    const latin1 = createHmac('sha1', 'app-secret')
      .update(Buffer.from(text.toString() + cb, 'latin1'))
      .digest('base64');
    const utf8 = createHmac('sha1', 'app-secret')
      .update(Buffer.concat([text, Buffer.from(cb)]))
      .digest('base64');
    expect(latin1).not.toBe(utf8);
    // The en dash U+2013 is hashed as the byte 0x13, as Trello documented.
    expect(Buffer.from('–', 'latin1')).toEqual(Buffer.from([0x13]));
    for (const sig of [latin1, utf8])
      expect(verifyTrelloSignature(text, { 'x-trello-webhook': sig }, 'app-secret', cb)).toBe(true);
    expect(verifyTrelloSignature(text, { 'x-trello-webhook': latin1 }, 'other-secret', cb)).toBe(false);
  });

  it('derives the callback URLs Tack may have registered from the request host', () => {
    expect(callbackCandidates({ host: 'tack.example' })).toEqual([
      'https://tack.example/hooks/trello',
      'http://tack.example/hooks/trello',
    ]);
    expect(
      callbackCandidates({ host: 'internal:8080', 'x-forwarded-host': 'tack.example', 'x-forwarded-proto': 'https' }),
    ).toEqual(['https://tack.example/hooks/trello']);
    expect(callbackCandidates({})).toEqual([]);
  });
  it('maps an action to its card, deduplicated by action id', () => {
    expect(parseTrelloWebhook(body)).toEqual({
      issueIds: ['card1'],
      deliveryId: 'act1',
      at: '2026-03-01T00:00:00.000Z',
    });
    expect(parseTrelloWebhook(Buffer.from('{"action":{"id":"a","data":{}}}'))).toBeNull();
    expect(parseTrelloWebhook(Buffer.from('not json'))).toBeNull();
  });
});
