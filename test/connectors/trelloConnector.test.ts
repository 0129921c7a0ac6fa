import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TrelloStandin } from '../standins/trelloStandin.js';
import { TrelloConnector } from '../../src/connectors/trello/trelloConnector.js';
import { ConnectorError, RateLimited, Transient } from '../../src/connectors/connector.js';

/**
 * The Trello connector (fetch) against the Trello stand-in, which validates every request
 * against Trello's OpenAPI document.
 */

let tr: TrelloStandin;
let conn: TrelloConnector;
let hook: {
  server: Server;
  url: string;
  received: { method: string; body: Buffer; headers: Record<string, string> }[];
  headStatus: number;
};

async function receiver(): Promise<typeof hook> {
  const h = { received: [] as typeof hook.received, headStatus: 200 } as typeof hook;
  h.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      h.received.push({
        method: req.method ?? '',
        body: Buffer.concat(chunks),
        headers: req.headers as Record<string, string>,
      });
      res.statusCode = req.method === 'HEAD' ? h.headStatus : 200;
      res.end();
    });
  });
  await new Promise<void>((r) => h.server.listen(0, '127.0.0.1', r));
  h.url = `http://127.0.0.1:${(h.server.address() as AddressInfo).port}/hooks/trello`;
  return h;
}

beforeEach(async () => {
  hook = await receiver();
  tr = await new TrelloStandin({ key: 'k', token: 't', secret: 'app-secret' }).start();
  conn = new TrelloConnector(
    {
      kind: 'trello',
      apiUrl: tr.url,
      scope: tr.boardId,
      webhookSecret: 'app-secret',
      options: { callbackUrl: hook.url },
      lists: {
        backlog: tr.listId('Backlog'),
        unstarted: tr.listId('To Do'),
        started: tr.listId('Doing'),
        completed: tr.listId('Done'),
        canceled: tr.listId("Won't do"),
      },
    },
    { key: 'k', token: 't' },
  );
});

afterEach(async () => {
  await tr.close();
  await new Promise((r) => hook.server.close(r));
});

const rejected = () => tr.requests.filter((r) => r.status === 400 || r.status === 404);

describe('Trello connector against the stand-in', () => {
  it('creates a card in the list of its state, with a marker findByMarker finds', async () => {
    const r = await conn.create(
      { title: 'Card', description: 'Body', state: 'started', labels: ['bug'], assignee: 'alice', due: '2026-06-01' },
      'tk-1',
    );
    expect(r).toMatchObject({
      title: 'Card',
      description: 'Body',
      state: 'started',
      stateName: 'Doing',
      labels: ['bug'],
      assignee: 'alice',
      due: '2026-06-01',
      tackId: 'tk-1',
    });
    tr.remoteCreate({ list: 'To Do', name: 'other' });
    expect((await conn.findByMarker('tk-1'))?.id).toBe(r.id);
    expect(await conn.findByMarker('tk-2')).toBeNull();
    expect(rejected()).toEqual([]);
  });

  it('updates fields, moves lists to close and reopen, archives without deleting', async () => {
    const { id } = await conn.create({ title: 'A', description: 'x' }, 'tk-a');
    const up = await conn.update(id, { title: 'B', description: 'y', labels: ['ui'], assignee: 'bob', due: null });
    expect(up).toMatchObject({
      title: 'B',
      description: 'y',
      labels: ['ui'],
      assignee: 'bob',
      due: null,
      tackId: 'tk-a',
    });
    expect((await conn.close(id, 'completed')).stateName).toBe('Done');
    expect((await conn.close(id, 'canceled')).state).toBe('canceled');
    expect((await conn.reopen(id)).state).toBe('unstarted');
    const archived = await conn.archive(id);
    expect(archived.archived).toBe(true);
    expect(tr.state.cards.has(id)).toBe(true);
    expect(tr.requests.some((r) => r.method === 'DELETE')).toBe(false);
    expect(rejected()).toEqual([]);
  });

  it('reports unknown members instead of guessing', async () => {
    const err = await conn.create({ title: 'A', assignee: 'mallory' }, 'tk-x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).code).toBe('unknown_user');
  });

  it('adds comments with a marker and reads remote comments by action id', async () => {
    const { id } = await conn.create({ title: 'A' }, 'tk-a');
    const mine = await conn.addComment(id, 'from tack', 'c-1');
    const theirs = tr.remoteComment(id, 'from trello', 'bob');
    const got = await conn.get(id);
    expect(got?.comments).toEqual([
      expect.objectContaining({ id: mine.id, body: 'from tack', tackId: 'c-1' }),
      expect.objectContaining({ id: theirs, body: 'from trello', author: 'bob' }),
    ]);
  });

  it("reads every comment of a card past Trello's 50-a-page default and its 20-page limit", async () => {
    const card = tr.remoteCreate({ list: 'To Do', name: 'busy' });
    const texts = Array.from({ length: 1075 }, (_, i) => `comment ${i}`);
    for (const t of texts) tr.remoteComment(card.id, t, 'bob');
    const got = await conn.get(card.id);
    expect(got?.comments?.map((c) => c.body)).toEqual(texts);
    const first = await conn.pull(undefined);
    expect(first.items.find((i) => i.id === card.id)?.comments).toHaveLength(1075);
    expect(tr.violations()).toEqual([]);
  });

  it('finds a board label past the first 50 instead of creating a second one', async () => {
    for (let i = 0; i < 60; i++) tr.state.addLabel(`label-${i}`, 'green');
    const r = await conn.create({ title: 'Labelled', labels: ['label-55'] }, 'tk-l');
    expect(r.labels).toEqual(['label-55']);
    expect(tr.state.labels.filter((l) => l.name === 'label-55')).toHaveLength(1);
    expect(tr.state.cards.get(r.id)?.idLabels).toEqual([tr.state.labels.find((l) => l.name === 'label-55')!.id]);
    expect(tr.violations()).toEqual([]);
  });

  it('pulls everything first, then only cards with new actions, including deletions', async () => {
    const a = tr.remoteCreate({ list: 'To Do', name: 'a' });
    const b = tr.remoteCreate({ list: 'Doing', name: 'b' });
    const first = await conn.pull(undefined);
    expect(first.items.map((i) => i.title).sort()).toEqual(['a', 'b']);
    tr.state.clockOffsetMs = 600_000; // later than the overlap window
    tr.remoteUpdate(b.id, { name: 'b2', list: 'Done' });
    const second = await conn.pull(first.nextCursor);
    // The overlap re-reads the actions just before the cursor (a's creation), harmlessly.
    expect(second.items.at(-1)).toMatchObject({ id: b.id, title: 'b2', state: 'completed' });
    expect(second.items.filter((i) => i.id !== a.id && i.id !== b.id)).toEqual([]);
    tr.state.clockOffsetMs = 1_200_000;
    const c = tr.remoteCreate({ list: 'To Do', name: 'c' }); // before the deletion: not re-read after it
    tr.state.clockOffsetMs = 1_800_000;
    const between = await conn.pull(second.nextCursor);
    expect(between.items.map((i) => i.id)).toContain(c.id);
    tr.state.clockOffsetMs = 2_400_000;
    tr.remoteDelete(a.id);
    const third = await conn.pull(between.nextCursor);
    expect(third.items.map((i) => i.id)).not.toContain(b.id);
    expect(third.items.find((i) => i.id === a.id)).toMatchObject({ id: a.id, deleted: true });
    expect(await conn.get(a.id)).toBeNull();
    expect(rejected().filter((r) => !r.path.startsWith(`/1/cards/${a.id}`))).toEqual([]);
  });

  it('turns 429 and 5xx into RateLimited and Transient', async () => {
    const { id } = await conn.create({ title: 'A' }, 'tk-a');
    tr.fail(429, 1, 3);
    const e = await conn.get(id).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RateLimited);
    expect((e as RateLimited).retryAfterMs).toBe(3000);
    tr.fail(503);
    expect(await conn.get(id).catch((x: unknown) => x)).toBeInstanceOf(Transient);
    expect((await conn.get(id))?.title).toBe('A');
  });

  it('registers a webhook (HEAD check first) and verifies the signed deliveries', async () => {
    hook.headStatus = 404;
    expect(await conn.registerWebhook(hook.url).catch((e: unknown) => e)).toBeInstanceOf(ConnectorError);
    hook.headStatus = 200;
    await conn.registerWebhook(hook.url);
    expect(hook.received.map((r) => r.method)).toEqual(['HEAD', 'HEAD']);
    const card = tr.remoteCreate({ list: 'To Do', name: 'hooked' });
    tr.remoteComment(card.id, 'hi');
    await tr.settled();
    const posts = hook.received.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    for (const p of posts) {
      expect(conn.verifyWebhook(p.body, p.headers)).toBe(true);
      expect(conn.parseWebhook(p.body, p.headers)?.issueIds).toEqual([card.id]);
    }
    expect(new Set(posts.map((p) => conn.parseWebhook(p.body, p.headers)?.deliveryId)).size).toBe(2);
    expect(
      conn.verifyWebhook(Buffer.from(posts[0].body.toString().replace('hooked', 'forged')), posts[0].headers),
    ).toBe(false);
  });

  it('verifies deliveries with non-ASCII text, signed as latin-1 (Trello until 2016) or UTF-8', async () => {
    await conn.registerWebhook(hook.url);
    const card = tr.remoteCreate({ list: 'To Do', name: 'Grüße – naïve café' });
    tr.remoteComment(card.id, 'Ünïcödé — 日本語 🎉');
    tr.hooks.encoding = 'utf8';
    tr.remoteComment(card.id, 'déjà vu – 再见');
    await tr.settled();
    const posts = hook.received.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(3);
    expect(posts[1].body.toString('utf8')).toContain('日本語 🎉');
    for (const p of posts) expect(conn.verifyWebhook(p.body, p.headers)).toBe(true);
    // Either way the secret is needed: a changed text or another secret is refused.
    const forged = Buffer.from(posts[1].body.toString('utf8').replace('日本語', '中文'));
    expect(conn.verifyWebhook(forged, posts[1].headers)).toBe(false);
    const body = posts[1].body.toString('utf8');
    expect(conn.verifyWebhook(posts[1].body, { 'x-trello-webhook': tr.sign(body, hook.url, 'wrong-secret') })).toBe(
      false,
    );
  });

  it('the stand-in rejects requests Trello would reject', async () => {
    const bad = await fetch(`${tr.url}/cards?key=k&token=t&name=x`, { method: 'POST' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('missing required parameter "idList"');
    const unknown = await fetch(`${tr.url}/cards/${'a'.repeat(24)}?key=k&token=t&colour=red`, { method: 'PUT' });
    expect(await unknown.text()).toContain('unknown parameter "colour"');
    expect((await fetch(`${tr.url}/nothing/here?key=k&token=t`)).status).toBe(404);
    expect((await fetch(`${tr.url}/boards/${tr.boardId}/lists?key=k&token=wrong`)).status).toBe(401);
  });
});
