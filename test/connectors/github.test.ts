import { randomUUID } from 'node:crypto';
import { splitMarker, type StateCategory } from '../../src/connectors/connector.js';
import { stateFromGithub } from '../../src/connectors/github/githubMapping.js';
import { GithubStandin } from '../standins/githubStandin.js';
import { conformance, type RemoteSnapshot, type ServiceAdapter } from './conformance.js';

/** The conformance suite against the GitHub stand-in (octokit's OpenAPI shapes, validated). */
function githubAdapter(): ServiceAdapter {
  let gh: GithubStandin;
  const snapshot = (id: string): RemoteSnapshot => {
    const rec = gh.state.issues.get(Number(id))!;
    const i = rec.issue;
    return {
      id, title: i.title, description: splitMarker(i.body ?? '').text, state: stateFromGithub(i.state, i.state_reason),
      labels: i.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))),
      comments: gh.commentsOf(Number(id)).map((c) => splitMarker(c.body).text),
      archived: i.state === 'closed' && i.locked, deleted: rec.deleted,
    };
  };
  const toGithub = (s: StateCategory) =>
    s === 'completed' ? { state: 'closed' as const, state_reason: 'completed' as const } : s === 'canceled' ? { state: 'closed' as const, state_reason: 'not_planned' as const } : { state: 'open' as const };
  return {
    kind: 'github',
    start: async () => {
      gh = await new GithubStandin({ token: 'ghp_standin', users: ['octocat', 'hubot'] }).start();
    },
    stop: () => gh.close(),
    connectArgs: (secret) => ['github', '--repo', 'acme/widgets', '--api-url', gh.url, '--api-key', 'ghp_standin', '--webhook-secret', secret],
    remoteCreate: async (title, body) => String(gh.remoteCreate({ title, body })),
    remoteGet: async (id) => snapshot(id),
    remoteUpdate: async (id, p) => {
      gh.remoteEdit(Number(id), { ...(p.title !== undefined ? { title: p.title } : {}), ...(p.description !== undefined ? { body: p.description } : {}), ...(p.state ? toGithub(p.state) : {}) });
    },
    remoteComment: async (id, body) => {
      gh.remoteComment(Number(id), body, 'hubot');
    },
    remoteArchive: async (id) => gh.remoteArchive(Number(id)),
    remoteDelete: async (id) => gh.remoteDelete(Number(id)),
    remoteCount: () => gh.state.issues.size,
    apiWrites: () => gh.writes(),
    contractViolations: () => gh.violations,
    failNext: (count, status) => gh.fail(status, count, status === 429 ? 0 : undefined),
    pendingFailures: () => gh.pendingFailures(),
    webhooks: {
      point: (url, secret) => gh.setWebhook(url, secret),
      count: () => gh.deliveries.length,
      settle: () => gh.settled(),
      resend: async (i, asNew) => {
        const d = gh.deliveries[i];
        const id = asNew ? randomUUID() : d.id;
        return (await gh.sendRaw({ ...d, id, headers: { ...d.headers, 'x-github-delivery': id } })) ?? 0;
      },
      // GitHub deliveries carry no timestamp: a stale one cannot be told from a fresh one.
      forge: async (i, how) => {
        if (how === 'stale') return null;
        const d = gh.deliveries[i];
        const id = randomUUID();
        return (await gh.sendRaw({ ...d, id, headers: { ...d.headers, 'x-github-delivery': id, 'x-hub-signature-256': gh.sign(d.body, 'wrong-secret') } })) ?? 0;
      },
    },
  };
}

conformance(githubAdapter());
