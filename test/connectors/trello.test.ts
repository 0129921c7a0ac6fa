import { splitMarker, type StateCategory } from '../../src/connectors/connector.js';
import { stateForList, type ListMap } from '../../src/connectors/trello/trelloMapping.js';
import { TrelloStandin } from '../standins/trelloStandin.js';
import { conformance, type RemoteSnapshot, type ServiceAdapter } from './conformance.js';

/** The conformance suite against the Trello stand-in (Trello's OpenAPI document, validated). */
function trelloAdapter(): ServiceAdapter {
  let tr: TrelloStandin;
  const LIST_OF: Record<StateCategory, string> = { triage: 'Backlog', backlog: 'Backlog', unstarted: 'To Do', started: 'Doing', completed: 'Done', canceled: "Won't do" };
  const lists = (): ListMap => ({ backlog: tr.listId('Backlog'), unstarted: tr.listId('To Do'), started: tr.listId('Doing'), completed: tr.listId('Done'), canceled: tr.listId("Won't do") });
  const snapshot = (id: string): RemoteSnapshot => {
    const card = tr.state.cards.get(id);
    if (!card) return { id, title: '', description: '', state: 'canceled', labels: [], comments: [], archived: false, deleted: true };
    return {
      id, title: card.name, description: splitMarker(card.desc).text, state: stateForList(lists(), card.idList), labels: card.labels.map((l) => l.name),
      comments: tr.state.comments(id).map((a) => splitMarker(a.data.text ?? '').text), archived: card.closed, deleted: false,
    };
  };
  return {
    kind: 'trello',
    start: async () => {
      tr = await new TrelloStandin({ key: 'trello-key', token: 'trello-token', secret: 'unused' }).start();
    },
    stop: () => tr.close(),
    connectArgs: (secret) => [
      'trello', '--board', tr.boardId, '--api-url', tr.url, '--api-key', 'trello-key', '--token', 'trello-token', '--webhook-secret', secret,
      ...Object.entries(lists()).flatMap(([cat, id]) => ['--list', `${cat}=${id}`]),
    ],
    remoteCreate: async (name, desc) => tr.remoteCreate({ list: 'To Do', name, desc }).id,
    remoteGet: async (id) => snapshot(id),
    remoteUpdate: async (id, p) => {
      tr.remoteUpdate(id, { ...(p.title !== undefined ? { name: p.title } : {}), ...(p.description !== undefined ? { desc: p.description } : {}), ...(p.state ? { list: LIST_OF[p.state] } : {}) });
    },
    remoteComment: async (id, body) => {
      tr.remoteComment(id, body, 'bob');
    },
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
