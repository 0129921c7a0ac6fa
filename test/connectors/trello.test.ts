import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tackAwait, tempStore, trackCleanups } from '../helpers.js';
import { splitMarker, type StateCategory } from '../../src/connectors/connector.js';
import { stateForList, type ListMap } from '../../src/connectors/trello/trelloMapping.js';
import { TrelloStandin } from '../standins/trelloStandin.js';
import { conformance, type RemoteSnapshot, type ServiceAdapter } from './conformance.js';

/** The conformance suite against the Trello stand-in (Trello's OpenAPI document, validated). */
function trelloAdapter(): ServiceAdapter {
  let tr: TrelloStandin;
  const LIST_OF: Record<StateCategory, string> = {
    triage: 'Backlog',
    backlog: 'Backlog',
    unstarted: 'To Do',
    started: 'Doing',
    completed: 'Done',
    canceled: "Won't do",
  };
  const lists = (): ListMap => ({
    backlog: tr.listId('Backlog'),
    unstarted: tr.listId('To Do'),
    started: tr.listId('Doing'),
    completed: tr.listId('Done'),
    canceled: tr.listId("Won't do"),
  });
  const snapshot = (id: string): RemoteSnapshot => {
    const card = tr.state.cards.get(id);
    if (!card)
      return {
        id,
        title: '',
        description: '',
        state: 'canceled',
        labels: [],
        comments: [],
        archived: false,
        deleted: true,
      };
    return {
      id,
      title: card.name,
      description: splitMarker(card.desc).text,
      state: stateForList(lists(), card.idList),
      labels: card.labels.map((l) => l.name),
      comments: tr.state.comments(id).map((a) => splitMarker(a.data.text ?? '').text),
      archived: card.closed,
      deleted: false,
    };
  };
  return {
    kind: 'trello',
    start: async () => {
      tr = await new TrelloStandin({ key: 'trello-key', token: 'trello-token', secret: 'unused' }).start();
    },
    stop: () => tr.close(),
    connectArgs: (secret) => [
      'trello',
      '--board',
      tr.boardId,
      '--api-url',
      tr.url,
      '--api-key',
      'trello-key',
      '--token',
      'trello-token',
      '--webhook-secret',
      secret,
      ...Object.entries(lists()).flatMap(([cat, id]) => ['--list', `${cat}=${id}`]),
    ],
    remoteCreate: async (name, desc) => tr.remoteCreate({ list: 'To Do', name, desc }).id,
    remoteGet: async (id) => snapshot(id),
    remoteUpdate: async (id, p) => {
      tr.remoteUpdate(id, {
        ...(p.title !== undefined ? { name: p.title } : {}),
        ...(p.description !== undefined ? { desc: p.description } : {}),
        ...(p.state ? { list: LIST_OF[p.state] } : {}),
      });
    },
    remoteComment: async (id, body) => {
      tr.remoteComment(id, body, 'bob');
    },
    remoteEditComment: async (id, index, body) =>
      tr.remoteEditComment(id, [...tr.state.comments(id)].reverse()[index].id, body, 'bob'),
    remoteArchive: async (id) => tr.remoteUpdate(id, { closed: true }),
    remoteDelete: async (id) => tr.remoteDelete(id),
    remoteCount: () => tr.state.cards.size + tr.deletedCards,
    apiWrites: () => tr.writes(),
    contractViolations: () => tr.violations(),
    failNext: (count, status) => tr.fail(status, count, status === 429 ? 0 : undefined),
    pendingFailures: () => tr.pendingFailures(),
    webhooks: {
      point: (url, secret) => tr.pointWebhook(url, secret),
      count: () => tr.deliveries.length,
      settle: () => tr.settled(),
      // Trello deliveries have no id of their own: the action id identifies them, so a
      // "new" delivery of an old change is the same bytes again.
      resend: async (i) => (await tr.redeliver(tr.deliveries[i])) ?? 0,
      // No timestamp in Trello deliveries: a stale one cannot be told from a fresh one.
      forge: async (i, how) => {
        if (how === 'stale') return null;
        const d = tr.deliveries[i];
        return (await tr.redeliver({ ...d, signature: tr.sign(d.body, d.callbackURL, 'wrong-secret') })) ?? 0;
      },
    },
  };
}

conformance(trelloAdapter());

describe('trello fields', () => {
  const track = trackCleanups();
  let tr: TrelloStandin;
  beforeAll(async () => {
    tr = await new TrelloStandin({ key: 'k', token: 't', secret: 's' }).start();
  });
  afterAll(() => tr.close());
  const run = async (dir: string, ...args: string[]) => {
    const r = await tackAwait(dir, [...args, '--json']);
    if (r.status !== 0) throw new Error(`tack ${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };

  it('maps lists per category, labels, members (through the user map) and due dates both ways', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const lists = ['unstarted=To Do', 'started=Doing', 'completed=Done'].flatMap((p) => [
      '--list',
      `${p.split('=')[0]}=${tr.listId(p.split('=')[1])}`,
    ]);
    await run(
      dir,
      'connect',
      'trello',
      '--board',
      tr.boardId,
      '--api-url',
      tr.url,
      '--api-key',
      'k',
      '--token',
      't',
      ...lists,
      '--user',
      'ali=alice',
      '--user',
      'bo=bob',
    );
    const id = (await run(dir, 'create', 'Card', '--label', 'bug', '-a', 'ali')).id as string;
    expect((await run(dir, 'sync', 'trello')).errors).toEqual([]);
    const cardId = (await run(dir, 'show', id)).extra.external.trello.id as string;
    const card = () => tr.state.cards.get(cardId)!;
    expect(card()).toMatchObject({
      idList: tr.listId('To Do'),
      idMembers: [tr.state.member('alice')!.id],
      labels: [expect.objectContaining({ name: 'bug' })],
    });

    // On Trello: moved to Doing, relabelled, reassigned, given a due date.
    tr.remoteUpdate(cardId, { list: 'Doing', labels: ['ui'], members: ['bob'], due: '2026-12-24T12:00:00.000Z' });
    expect((await run(dir, 'sync', 'trello')).errors).toEqual([]);
    expect(await run(dir, 'show', id)).toMatchObject({
      category: 'started',
      labels: ['ui'],
      assignee: 'bo',
      extra: expect.objectContaining({ due: '2026-12-24' }),
    });

    // Locally: done → the Done list; the due date stays.
    await run(dir, 'close', id);
    expect((await run(dir, 'sync', 'trello')).errors).toEqual([]);
    expect(card()).toMatchObject({ idList: tr.listId('Done'), closed: false });
    expect(card().due?.slice(0, 10)).toBe('2026-12-24');

    const writes = tr.writes();
    expect((await run(dir, 'sync', 'trello')).commits).toEqual([]);
    expect(tr.writes()).toBe(writes);
    expect(tr.violations()).toEqual([]);
  });
});

describe('trello webhook registration', () => {
  const track = trackCleanups();

  /** A receiver answering HEAD with `status`, as Trello's check expects 200. */
  async function receiver(status: number): Promise<string> {
    const server = createServer((_req, res) => {
      res.statusCode = status;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    track(() => new Promise<void>((r) => server.close(() => r())));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/trello`;
  }

  it("connect --callback-url registers the board webhook once, after Trello's HEAD check", async () => {
    const tr = await new TrelloStandin({ key: 'k', token: 't', secret: 's' }).start();
    track(() => tr.close());
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const base = [
      'connect',
      'trello',
      '--board',
      tr.boardId,
      '--api-url',
      tr.url,
      '--api-key',
      'k',
      '--token',
      't',
      '--list',
      `unstarted=${tr.listId('To Do')}`,
      '--list',
      `completed=${tr.listId('Done')}`,
      '--json',
    ];

    const down = await tackAwait(dir, [...base, '--callback-url', await receiver(404)]);
    expect(down.status).not.toBe(0);
    expect(down.stderr).toMatch(/did not return 200/);
    expect(tr.webhooks).toEqual([]);

    const url = await receiver(200);
    const first = await tackAwait(dir, [...base, '--callback-url', url]);
    expect(first.status, first.stderr).toBe(0);
    const hook = JSON.parse(first.stdout).webhook;
    expect(hook).toEqual({ id: expect.any(String), created: true });
    expect(tr.webhooks).toEqual([
      expect.objectContaining({ id: hook.id, idModel: tr.boardId, callbackURL: url, active: true }),
    ]);

    const again = await tackAwait(dir, [...base, '--callback-url', url]);
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).webhook).toEqual({ id: hook.id, created: false });
    expect(tr.webhooks).toHaveLength(1);
    expect(tr.violations()).toEqual([]);
  });
});
