import { afterEach, describe, expect, it } from 'vitest';
import { RateLimited } from '../../src/connectors/connector.js';
import { TrelloConnector } from '../../src/connectors/trello/trelloConnector.js';
import { tackAwait, tempStore, trackCleanups } from '../helpers.js';
import { TrelloStandin } from '../standins/trelloStandin.js';
import type { TrelloRateOptions } from '../standins/trelloStandinRate.js';

/**
 * The Trello connector within Trello's request budgets: a window per token and one per
 * app key (shared by every token of the app), reported in every answer's
 * `x-rate-limit-api-*` headers and enforced by the stand-in with 429s. Windows are short
 * here (a few hundred ms) so a pass spans many of them.
 */

const LISTS = { backlog: 'Backlog', unstarted: 'To Do', started: 'Doing', completed: 'Done', canceled: "Won't do" };

let tr: TrelloStandin | undefined;
afterEach(async () => {
  await tr?.close();
  tr = undefined;
});

async function board(rate: TrelloRateOptions, cards: number, commentsEach: (i: number) => number) {
  tr = await new TrelloStandin({ key: 'k', token: 't', secret: 's', rate }).start();
  for (let i = 0; i < cards; i++) {
    const c = tr.remoteCreate({ list: 'To Do', name: `Card ${i}` });
    for (let j = 0; j < commentsEach(i); j++) tr.remoteComment(c.id, `comment ${j} on ${i}`);
  }
  return tr;
}

function connector(s: TrelloStandin): TrelloConnector {
  const lists = Object.fromEntries(Object.entries(LISTS).map(([cat, name]) => [cat, s.listId(name)]));
  return new TrelloConnector({ kind: 'trello', apiUrl: s.url, scope: s.boardId, lists }, { key: 'k', token: 't' });
}

describe('Trello budgets, in the connector', () => {
  it('paces a pull longer than a window: every card, no request refused, never over the window', async () => {
    // 12 cards, 4 of them with 60 comments (two pages each): 11 requests for 5 a window.
    const s = await board({ token: { max: 5, intervalMs: 250 } }, 12, (i) => (i % 3 === 0 ? 60 : 0));
    const conn = connector(s);
    const page = await conn.pull(undefined);
    expect(page.items.map((c) => c.title).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `Card ${i}`).sort());
    for (const c of page.items) expect(c.comments).toHaveLength(Number(c.title.slice(5)) % 3 === 0 ? 60 : 0);
    expect(s.rate.requests).toBeGreaterThan(2 * 5);
    expect(s.rate.refused).toBe(0);
    expect(s.rate.token.peak).toBeLessThanOrEqual(5);
    const b = conn.budget();
    expect(b.requests).toMatchObject({ limit: 5, periodMs: 250 });
    expect(b.appRequests).toMatchObject({ limit: 30_000, periodMs: 10_000 });
    expect(b.measuredAt).toBeGreaterThan(0);
  });

  it('a 429 without Retry-After waits for the window, and the request after it is not refused again', async () => {
    const s = await board({ key: { max: 50, intervalMs: 300 } }, 1, () => 0);
    const conn = connector(s);
    const [card] = [...s.state.cards.keys()];
    // Another token of the same app spends the key's window.
    s.rate.spend('key', 50);
    const e = await conn.get(card).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RateLimited);
    expect((e as RateLimited).message).toContain('API_KEY_LIMIT_EXCEEDED');
    // Trello sends no Retry-After: the wait is the window the headers name, not a guess.
    expect((e as RateLimited).retryAfterMs).toBeGreaterThan(0);
    expect((e as RateLimited).retryAfterMs).toBeLessThanOrEqual(300);
    expect(conn.budget().appRequests).toMatchObject({ limit: 50, remaining: 0 });
    // Called again at once (no wait by the caller), the client waits out the window itself.
    expect((await conn.get(card))?.title).toBe('Card 0');
    expect(s.rate.refused).toBe(1);
  });

  it('a 429 with Retry-After waits what it says', async () => {
    const s = await board({ token: { max: 100, intervalMs: 60_000 }, retryAfter: true }, 1, () => 0);
    const conn = connector(s);
    const [card] = [...s.state.cards.keys()];
    // Another process with the same token (a `tack serve` next to `tack sync`) spent the window.
    s.rate.spend('token', 100);
    const e = await conn.get(card).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RateLimited);
    expect((e as RateLimited).message).toContain('API_TOKEN_LIMIT_EXCEEDED');
    expect((e as RateLimited).retryAfterMs).toBeGreaterThan(50_000);
  });
});

describe('Trello budgets, in a sync pass', () => {
  const track = trackCleanups();

  it('a first sync over budget waits and resumes, drops nothing, and tack connections shows both windows', async () => {
    const s = await board({ token: { max: 6, intervalMs: 300 }, key: { max: 40, intervalMs: 300 } }, 25, (i) =>
      i % 5 === 0 ? 55 : i % 2,
    );
    // Mid-pass, another token of the app spends what is left of the key's window.
    s.rate.onRequest = (n) => {
      if (n === 12) s.rate.spend('key', 40);
    };
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const connect = await tackAwait(dir, [
      'connect',
      'trello',
      '--board',
      s.boardId,
      '--api-url',
      s.url,
      '--api-key',
      'k',
      '--token',
      't',
      ...Object.entries(LISTS).flatMap(([cat, name]) => ['--list', `${cat}=${s.listId(name)}`]),
    ]);
    expect(connect.status, connect.stderr).toBe(0);
    const sync = await tackAwait(dir, ['sync', 'trello', '--json']);
    expect(sync.status, sync.stderr + sync.stdout).toBe(0);
    const r = JSON.parse(sync.stdout);
    expect(r.errors).toEqual([]);
    expect(r.reconciliation).toMatchObject({ seen: 25, mirrored: 25, missing: 0 });
    // The key's window was spent by someone else once; the pass waited, never over its own.
    expect(s.rate.refused).toBe(1);
    expect(s.rate.token.peak).toBeLessThanOrEqual(6);
    const list = JSON.parse((await tackAwait(dir, ['list', '--all', '--json'])).stdout);
    const tickets: Array<{ id: string; title: string }> = list.tickets ?? list;
    expect(tickets.map((t) => t.title).sort()).toEqual(Array.from({ length: 25 }, (_, i) => `Card ${i}`).sort());
    const card0 = tickets.find((t) => t.title === 'Card 0')!;
    const shown = JSON.parse((await tackAwait(dir, ['show', card0.id, '--json'])).stdout);
    expect(JSON.stringify(shown)).toContain('comment 54 on 0');

    const status = JSON.parse((await tackAwait(dir, ['connections', '--json'])).stdout).connections[0];
    expect(status.budget.requests).toMatchObject({ limit: 6, periodMs: 300 });
    expect(status.budget.appRequests).toMatchObject({ limit: 40, periodMs: 300 });
    expect(status.budget.complexity).toBeUndefined();
    const text = (await tackAwait(dir, ['connections'])).stdout;
    expect(text).toMatch(
      /budget: \d+ of 6 requests per 0\.3 s left \(full again [^)]+\), \d+ of 40 requests of the app key per 0\.3 s left/,
    );
  });
});
