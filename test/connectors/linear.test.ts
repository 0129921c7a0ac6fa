import { randomUUID } from 'node:crypto';
import type { StateCategory } from '../../src/connectors/connector.js';
import { signLinear, startLinearStandin, type LinearStandin } from '../standins/linearStandin.js';
import { conformance, type RemoteSnapshot, type ServiceAdapter } from './conformance.js';

/** The conformance suite against the Linear stand-in (Linear's GraphQL schema, validated). */
function linearAdapter(): ServiceAdapter {
  let s: LinearStandin;
  const state = (cat: StateCategory) => s.ws.states.find((x) => x.type === cat)!.id;
  const snapshot = (id: string): RemoteSnapshot => {
    const i = s.ws.issue(id);
    const strip = (b: string) => b.replace(/\n*\[\/\/\]: # \(tack:[^)]*\)\s*$/, '');
    return {
      id, title: i.title, description: i.description, state: s.ws.states.find((x) => x.id === i.stateId)!.type,
      labels: s.ws.labels.filter((l) => i.labelIds.includes(l.id)).map((l) => l.name),
      comments: [...s.ws.comments.values()].filter((c) => c.issueId === i.id).map((c) => strip(c.body)),
      archived: i.archivedAt !== null && !i.trashed, deleted: i.trashed,
    };
  };
  const secret = { value: '' };
  return {
    kind: 'linear',
    start: async () => { s = await startLinearStandin(); },
    stop: () => s.stop(),
    connectArgs: (webhookSecret) => { secret.value = webhookSecret; return ['linear', '--team', 'ENG', '--api-url', s.url, '--api-key', 'lin_api_standin', '--webhook-secret', webhookSecret]; },
    remoteCreate: async (title, description) => s.ws.createIssue({ teamId: s.ws.team.id, title, description }).id,
    remoteGet: async (id) => snapshot(id),
    remoteUpdate: async (id, p) => {
      s.ws.updateIssue(id, { ...(p.title !== undefined ? { title: p.title } : {}), ...(p.description !== undefined ? { description: p.description } : {}), ...(p.state ? { stateId: state(p.state) } : {}) });
    },
    remoteComment: async (id, body) => { s.ws.createComment({ issueId: id, body }, s.ws.users[0].id); },
    remoteArchive: async (id) => { s.ws.archiveIssue(id, false); },
    remoteDelete: async (id) => { s.ws.archiveIssue(id, true); },
    remoteCount: () => s.ws.issues.size,
    apiWrites: () => s.ws.writes.length,
    contractViolations: () => s.invalid.map((v) => `${v.errors.join('; ')} in ${v.query.slice(0, 80)}`),
    failNext: (count, status) => s.failNext(count, status),
    pendingFailures: () => s.pendingFailures(),
    webhooks: {
      point: (url, sec) => s.webhooks(url, sec),
      count: () => s.deliveries.length,
      settle: () => s.settle(),
      resend: (i, asNew) => {
        const d = s.deliveries[i];
        return s.resend(asNew ? { ...d, headers: { ...d.headers, 'linear-delivery': randomUUID() } } : d, true);
      },
      forge: (i, how) => {
        const d = s.deliveries[i];
        // Stale: signed right but stamped 2 minutes ago (Linear's window is 60 s).
        const body = JSON.stringify({ ...JSON.parse(d.body), webhookTimestamp: Date.now() - (how === 'stale' ? 120_000 : 0) });
        return s.sendRaw({ body, headers: { ...d.headers, 'linear-delivery': randomUUID(), 'linear-signature': signLinear(body, how === 'stale' ? secret.value : 'wrong-secret') } });
      },
    },
  };
}

conformance(linearAdapter());
