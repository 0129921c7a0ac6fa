import { randomUUID } from 'node:crypto';
import type { StateCategory } from '../../src/connectors/connector.js';
import { signLinear, startLinearStandin, type LinearStandin } from '../standins/linearStandin.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFixtureAsync, tackAwait, tempStore, trackCleanups } from '../helpers.js';
import { conformance, type RemoteSnapshot, type ServiceAdapter } from './conformance.js';

/** The conformance suite against the Linear stand-in (Linear's GraphQL schema, validated). */
function linearAdapter(): ServiceAdapter {
  let s: LinearStandin;
  const state = (cat: StateCategory) => s.ws.states.find((x) => x.type === cat)!.id;
  const snapshot = (id: string): RemoteSnapshot => {
    const i = s.ws.issue(id);
    const strip = (b: string) => b.replace(/\n*\[\/\/\]: # \(tack:[^)]*\)\s*$/, '');
    return {
      id,
      title: i.title,
      description: i.description,
      state: s.ws.states.find((x) => x.id === i.stateId)!.type,
      labels: s.ws.labels.filter((l) => i.labelIds.includes(l.id)).map((l) => l.name),
      comments: [...s.ws.comments.values()].filter((c) => c.issueId === i.id).map((c) => strip(c.body)),
      archived: i.archivedAt !== null && !i.trashed,
      deleted: i.trashed,
    };
  };
  const secret = { value: '' };
  return {
    kind: 'linear',
    start: async () => {
      s = await startLinearStandin();
      // A workspace granted higher limits: the suite polls every 300 ms, which Linear's
      // default 250,000 points an hour would (rightly) space out; linearBudget.test.ts
      // covers the default budget.
      s.budget.setLimits(50_000_000, 500_000);
    },
    stop: () => s.stop(),
    connectArgs: (webhookSecret) => {
      secret.value = webhookSecret;
      return [
        'linear',
        '--team',
        'ENG',
        '--api-url',
        s.url,
        '--api-key',
        'lin_api_standin',
        '--webhook-secret',
        webhookSecret,
      ];
    },
    remoteCreate: async (title, description) => s.ws.createIssue({ teamId: s.ws.team.id, title, description }).id,
    remoteGet: async (id) => snapshot(id),
    remoteUpdate: async (id, p) => {
      s.ws.updateIssue(id, {
        ...(p.title !== undefined ? { title: p.title } : {}),
        ...(p.description !== undefined ? { description: p.description } : {}),
        ...(p.state ? { stateId: state(p.state) } : {}),
      });
    },
    remoteComment: async (id, body) => {
      s.ws.createComment({ issueId: id, body }, s.ws.users[0].id);
    },
    remoteEditComment: async (id, index, body) => {
      const mine = [...s.ws.comments.values()]
        .filter((c) => c.issueId === id)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      s.ws.updateComment(mine[index].id, { body });
    },
    remoteArchive: async (id) => {
      s.ws.archiveIssue(id, false);
    },
    remoteDelete: async (id) => {
      s.ws.archiveIssue(id, true);
    },
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
        const body = JSON.stringify({
          ...JSON.parse(d.body),
          webhookTimestamp: Date.now() - (how === 'stale' ? 120_000 : 0),
        });
        return s.sendRaw({
          body,
          headers: {
            ...d.headers,
            'linear-delivery': randomUUID(),
            'linear-signature': signLinear(body, how === 'stale' ? secret.value : 'wrong-secret'),
          },
        });
      },
    },
  };
}

conformance(linearAdapter());

describe('linear fields', () => {
  const track = trackCleanups();
  let s: LinearStandin;
  beforeAll(async () => {
    s = await startLinearStandin();
  });
  afterAll(() => s.stop());
  const run = async (dir: string, ...args: string[]) => {
    const r = await tackAwait(dir, args);
    return { ...r, json: r.stdout.trim().startsWith('{') ? JSON.parse(r.stdout) : null };
  };

  /** A store connected to the stand-in's ENG team: connected once, copied for each test. */
  const connected = storeFixtureAsync(async (dir) => {
    await run(dir, 'connect', 'linear', '--team', 'ENG', '--api-url', s.url, '--api-key', 'k');
    return {};
  });

  it('maps priority, labels, assignee (through the user map) and due dates both ways; reports unmapped users', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    await run(dir, 'connect', 'linear', '--team', 'ENG', '--api-url', s.url, '--api-key', 'k', '--user', 'ali=alice');
    const id = (
      await run(dir, 'create', 'Fields', '-p', 'high', '--label', 'bug', '--label', 'brand-new', '-a', 'ali', '--json')
    ).json.id as string;
    const first = await run(dir, 'sync', 'linear', '--json');
    expect(first.json.errors).toEqual([]);
    const remoteId = (await run(dir, 'show', id, '--json')).json.extra.external.linear.id as string;
    const issue = s.ws.issue(remoteId);
    expect(issue.priority).toBe(2);
    expect(
      s.ws.labels
        .filter((l) => issue.labelIds.includes(l.id))
        .map((l) => l.name)
        .sort(),
    ).toEqual(['brand-new', 'bug']);
    expect(s.ws.userById(issue.assigneeId!)!.displayName).toBe('alice');
    // Remote edits come back in Tack's terms.
    s.ws.updateIssue(remoteId, {
      priority: 1,
      assigneeId: s.ws.users[1].id,
      dueDate: '2026-12-24',
      labelIds: [s.ws.labels[0].id],
    });
    const second = await run(dir, 'sync', 'linear', '--json');
    const t = (await run(dir, 'show', id, '--json')).json;
    expect(t.priority).toBe('urgent');
    expect(t.labels).toEqual(['bug']);
    expect(t.extra.due).toBe('2026-12-24');
    // bob is not in the user map: imported as is, and reported.
    expect(t.assignee).toBe('bob');
    // A warning, not an error: the item synced.
    expect(second.json.errors).toEqual([]);
    expect(second.json.warnings.join('\n')).toMatch(/unmapped user: remote user "bob"/);
    // A Tack user the map does not name is reported and not pushed; nothing loops.
    await run(dir, 'update', id, '-a', 'zed');
    const third = await run(dir, 'sync', 'linear', '--json');
    expect(third.json.warnings.join('\n')).toMatch(/unmapped user: tack user "zed"/);
    expect(s.ws.userById(s.ws.issue(remoteId).assigneeId!)!.displayName).toBe('bob');
    const writes = s.ws.writes.length;
    const fourth = await run(dir, 'sync', 'linear', '--json');
    expect(fourth.json.commits).toEqual([]);
    expect(s.ws.writes.length).toBe(writes);
    expect((await run(dir, 'show', id, '--json')).json.assignee).toBe('zed');
    expect(s.invalid).toEqual([]);
  });

  it('refuses bad input with a clear error and changes nothing', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const fail = async (...args: string[]) => {
      const r = await tackAwait(dir, [...args, '--json']);
      expect(r.status).not.toBe(0);
      return JSON.parse(r.stderr.trim().split('\n').pop()!).error as { code: string; message: string };
    };
    expect(await fail('connect', 'jira', '--team', 'X')).toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/linear, github, trello; received "jira"/),
    });
    expect(await fail('connect', 'linear')).toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/--team/),
    });
    expect(await fail('connect', 'linear', '--team', 'ENG', '--poll', 'often')).toMatchObject({
      code: 'invalid_input',
    });
    expect(await fail('connect', 'linear', '--team', 'ENG', '--user', 'nobody')).toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/NAME=VALUE/),
    });
    expect(await fail('sync', 'linear')).toMatchObject({
      code: 'not_found',
      message: expect.stringMatching(/tack connect linear/),
    });
    const none = await tackAwait(dir, ['connections', '--json']);
    expect(JSON.parse(none.stdout)).toEqual({ connections: [] });
  });

  it('syncs relations both ways (blocks, related, duplicates), adding and removing', async () => {
    const { dir } = await connected();
    const [a, b, c] = [
      (await run(dir, 'create', 'A', '--json')).json.id as string,
      (await run(dir, 'create', 'B', '--json')).json.id as string,
      (await run(dir, 'create', 'C', '--json')).json.id as string,
    ];
    await run(dir, 'sync', 'linear', '--json');
    const remoteOf = async (id: string) =>
      (await run(dir, 'show', id, '--json')).json.extra.external.linear.id as string;
    const [ra, rb, rc] = [await remoteOf(a), await remoteOf(b), await remoteOf(c)];
    const relationsOf = (id: string) =>
      [...s.ws.relations.values()]
        .filter((r) => r.issueId === id)
        .map((r) => `${r.type}:${r.relatedIssueId}`)
        .sort();
    await run(dir, 'link', a, 'blocks', b);
    await run(dir, 'link', a, 'related', c);
    expect((await run(dir, 'sync', 'linear', '--json')).json.errors).toEqual([]);
    expect(relationsOf(ra)).toEqual([`blocks:${rb}`, `related:${rc}`].sort());
    // Remote side: C duplicates B is added, A's "related" is removed.
    s.ws.createRelation({ issueId: rc, relatedIssueId: rb, type: 'duplicate' });
    s.ws.deleteRelation([...s.ws.relations.values()].find((r) => r.issueId === ra && r.type === 'related')!.id);
    expect((await run(dir, 'sync', 'linear', '--json')).json.errors).toEqual([]);
    const show = async (id: string) => (await run(dir, 'show', id, '--json')).json;
    expect((await show(c)).duplicates).toEqual([b]);
    expect((await show(a)).blocks).toEqual([b]);
    expect((await show(a)).related).toEqual([]);
    // Local removal travels too.
    await run(dir, 'unlink', a, 'blocks', b);
    await run(dir, 'sync', 'linear', '--json');
    expect(relationsOf(ra)).toEqual([]);
    const writes = s.ws.writes.length;
    expect((await run(dir, 'sync', 'linear', '--json')).json.commits).toEqual([]);
    expect(s.ws.writes.length).toBe(writes);
    expect(s.invalid).toEqual([]);
  });

  it('a remote change Tack refuses (a blocks cycle) is reported, keeps the cursor, and lands once fixed', async () => {
    const { dir } = await connected();
    await run(dir, 'sync', 'linear');
    const before = (await run(dir, 'connections', '--json')).json.connections[0].cursor as string;
    const x = s.ws.createIssue({ teamId: s.ws.team.id, title: 'X' });
    const y = s.ws.createIssue({ teamId: s.ws.team.id, title: 'Y' });
    s.ws.createRelation({ issueId: x.id, relatedIssueId: y.id, type: 'blocks' });
    const back = s.ws.createRelation({ issueId: y.id, relatedIssueId: x.id, type: 'blocks' });
    const failed = await run(dir, 'sync', 'linear', '--json');
    expect(failed.status, failed.stdout).toBe(1);
    expect(failed.json.errors.join('\n')).toMatch(/cycle/);
    const conn = (await run(dir, 'connections', '--json')).json.connections[0];
    expect(conn.cursor).toBe(before);
    expect(conn.lastError).toMatch(/cycle/);
    s.ws.deleteRelation(back.id);
    const fixed = await run(dir, 'sync', 'linear', '--json');
    expect(fixed.json.errors).toEqual([]);
    const list = JSON.parse((await tackAwait(dir, ['list', '--json'])).stdout) as Array<{ id: string; title: string }>;
    const idOf = (title: string) => list.find((t) => t.title === title)!.id;
    expect((await run(dir, 'show', idOf('X'), '--json')).json.blocks).toEqual([idOf('Y')]);
    expect((await run(dir, 'show', idOf('Y'), '--json')).json.blocks).toEqual([]);
  });

  it('a ticket restored here after its remote issue was archived stays restored, without loops', async () => {
    const { dir } = await connected();
    const id = (await run(dir, 'create', 'Comes back', '--json')).json.id as string;
    await run(dir, 'sync', 'linear');
    const remoteId = (await run(dir, 'show', id, '--json')).json.extra.external.linear.id as string;
    s.ws.archiveIssue(remoteId, false);
    await run(dir, 'sync', 'linear');
    expect((await run(dir, 'show', id, '--json')).json.archived).toBe(true);
    expect((await run(dir, 'restore', id)).status).toBe(0);
    const r = await run(dir, 'sync', 'linear', '--json');
    expect(r.json.errors).toEqual([]);
    expect((await run(dir, 'show', id, '--json')).json.archived).toBe(false);
    const writes = s.ws.writes.length;
    expect((await run(dir, 'sync', 'linear', '--json')).json.commits).toEqual([]);
    expect(s.ws.writes.length).toBe(writes);
    expect(s.ws.issue(remoteId).archivedAt).not.toBeNull(); // never unarchived behind the user's back
  });

  it('syncs parents both ways, also when a child arrives before its parent', async () => {
    const { dir } = await connected();
    const epic = (await run(dir, 'create', 'Epic', '--json')).json.id as string;
    const child = (await run(dir, 'create', 'Child', '--json')).json.id as string;
    await run(dir, 'update', child, '--parent', epic);
    expect((await run(dir, 'sync', 'linear', '--json')).json.errors).toEqual([]);
    const remoteOf = async (id: string) =>
      (await run(dir, 'show', id, '--json')).json.extra.external.linear.id as string;
    expect(s.ws.issue(await remoteOf(child)).parentId).toBe(await remoteOf(epic));
    // Made remotely: the child is older than its parent's last change, so it is pulled first.
    const parent = s.ws.createIssue({ teamId: s.ws.team.id, title: 'Remote parent' });
    const kid = s.ws.createIssue({ teamId: s.ws.team.id, title: 'Remote kid', parentId: parent.id });
    s.ws.updateIssue(parent.id, { title: 'Remote parent, edited' });
    const r = await run(dir, 'sync', 'linear', '--json');
    expect(r.json.errors).toEqual([]);
    const list = JSON.parse((await tackAwait(dir, ['list', '--json'])).stdout) as Array<{
      id: string;
      title: string;
      parent: string | null;
    }>;
    const byTitle = new Map(list.map((t) => [t.title, t]));
    expect(byTitle.get('Remote kid')!.parent).toBe(byTitle.get('Remote parent, edited')!.id);
    // Re-parented locally: pushed.
    await run(dir, 'update', byTitle.get('Remote kid')!.id, '--parent', epic);
    await run(dir, 'sync', 'linear', '--json');
    expect(s.ws.issue(kid.id).parentId).toBe(await remoteOf(epic));
    const writes = s.ws.writes.length;
    const quiet = await run(dir, 'sync', 'linear', '--json');
    expect(quiet.json.commits).toEqual([]);
    expect(s.ws.writes.length).toBe(writes);
    expect(s.invalid).toEqual([]);
  });
});

describe('linear webhook registration', () => {
  const track = trackCleanups();

  it('connect --callback-url creates the team webhook once (webhookCreate, validated against the schema)', async () => {
    const s = await startLinearStandin();
    track(() => s.stop());
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const url = 'http://127.0.0.1:9/hooks/linear';
    const base = [
      'connect',
      'linear',
      '--team',
      'ENG',
      '--api-url',
      s.url,
      '--api-key',
      'lin_api_hooks',
      '--callback-url',
      url,
      '--json',
    ];

    const noSecret = await tackAwait(dir, base);
    expect(noSecret.status).not.toBe(0);
    expect(noSecret.stderr).toMatch(/needs a secret/);
    expect(s.ws.webhooks).toEqual([]);

    const first = await tackAwait(dir, [...base, '--webhook-secret', 'lin-secret']);
    expect(first.status, first.stderr).toBe(0);
    const hook = JSON.parse(first.stdout).webhook;
    expect(hook).toEqual({ id: expect.any(String), created: true });
    expect(s.ws.webhooks).toEqual([
      expect.objectContaining({
        id: hook.id,
        url,
        teamId: s.ws.team.id,
        secret: 'lin-secret',
        resourceTypes: ['Issue', 'Comment'],
      }),
    ]);

    const again = await tackAwait(dir, base);
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).webhook).toEqual({ id: hook.id, created: false });
    expect(s.ws.webhooks).toHaveLength(1);
    expect(s.invalid).toEqual([]);
  });
});
