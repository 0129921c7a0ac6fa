import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tackAwait, tackJsonAsync, tempStore, trackCleanups } from '../helpers.js';
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
      id,
      title: i.title,
      description: splitMarker(i.body ?? '').text,
      state: stateFromGithub(i.state, i.state_reason),
      labels: i.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))),
      comments: gh.commentsOf(Number(id)).map((c) => splitMarker(c.body).text),
      archived: i.state === 'closed' && i.locked,
      deleted: rec.deleted,
    };
  };
  const toGithub = (s: StateCategory) =>
    s === 'completed'
      ? { state: 'closed' as const, state_reason: 'completed' as const }
      : s === 'canceled'
        ? { state: 'closed' as const, state_reason: 'not_planned' as const }
        : { state: 'open' as const };
  return {
    kind: 'github',
    start: async () => {
      gh = await new GithubStandin({ token: 'ghp_standin', users: ['octocat', 'hubot'] }).start();
    },
    stop: () => gh.close(),
    connectArgs: (secret) => [
      'github',
      '--repo',
      'acme/widgets',
      '--api-url',
      gh.url,
      '--api-key',
      'ghp_standin',
      '--webhook-secret',
      secret,
    ],
    remoteCreate: async (title, body) => String(gh.remoteCreate({ title, body })),
    remoteGet: async (id) => snapshot(id),
    remoteUpdate: async (id, p) => {
      gh.remoteEdit(Number(id), {
        ...(p.title !== undefined ? { title: p.title } : {}),
        ...(p.description !== undefined ? { body: p.description } : {}),
        ...(p.state ? toGithub(p.state) : {}),
      });
    },
    remoteComment: async (id, body) => {
      gh.remoteComment(Number(id), body, 'hubot');
    },
    remoteEditComment: async (id, index, body) =>
      gh.remoteEditComment(gh.commentsOf(Number(id))[index].id, body, 'hubot'),
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
        return (
          (await gh.sendRaw({
            ...d,
            id,
            headers: { ...d.headers, 'x-github-delivery': id, 'x-hub-signature-256': gh.sign(d.body, 'wrong-secret') },
          })) ?? 0
        );
      },
    },
  };
}

conformance(githubAdapter());

describe('github fields', () => {
  const track = trackCleanups();
  let gh: GithubStandin;
  beforeAll(async () => {
    gh = await new GithubStandin({ token: 'ghp_fields', users: ['octocat', 'hubot'] }).start();
  });
  afterAll(() => gh.close());
  const run = tackJsonAsync;

  it('maps labels, assignees (through the user map), close reasons and sub-issue parents both ways', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    await run(
      dir,
      'connect',
      'github',
      '--repo',
      'acme/widgets',
      '--api-url',
      gh.url,
      '--api-key',
      'ghp_fields',
      '--user',
      'ali=octocat',
      '--user',
      'bo=hubot',
    );
    const epic = (await run(dir, 'create', 'Epic')).id as string;
    const part = (await run(dir, 'create', 'Part', '--parent', epic, '--label', 'bug', '-a', 'ali')).id as string;
    expect((await run(dir, 'sync', 'github')).errors).toEqual([]);
    const numberOf = async (id: string) => Number((await run(dir, 'show', id)).extra.external.github.id);
    const [e, p] = [await numberOf(epic), await numberOf(part)];
    expect(gh.issue(p)).toMatchObject({
      labels: [expect.objectContaining({ name: 'bug' })],
      assignees: [expect.objectContaining({ login: 'octocat' })],
    });
    expect(gh.state.issues.get(p)?.parent).toBe(e);

    // On GitHub: relabelled, reassigned, closed as not planned; a new issue made a sub-issue of the epic.
    gh.remoteEdit(p, { labels: ['ui'], assignees: ['hubot'], state: 'closed', state_reason: 'not_planned' });
    const extra = gh.remoteCreate({ title: 'Extra' });
    const add = await fetch(`${gh.url}/repos/acme/widgets/issues/${e}/sub_issues`, {
      method: 'POST',
      headers: { authorization: 'token ghp_fields', 'content-type': 'application/json' },
      body: JSON.stringify({ sub_issue_id: gh.issue(extra).id }),
    });
    expect(add.status).toBe(201);
    expect((await run(dir, 'sync', 'github')).errors).toEqual([]);
    const t = await run(dir, 'show', part);
    expect(t).toMatchObject({ labels: ['ui'], assignee: 'bo', category: 'canceled' });
    const imported = (await run(dir, 'list', '--all')).find((x: { title: string }) => x.title === 'Extra');
    expect((await run(dir, 'show', imported.id)).parent).toBe(epic);

    // Locally: the part leaves the epic and is reopened.
    await run(dir, 'update', part, '--parent', 'none');
    await run(dir, 'reopen', part);
    expect((await run(dir, 'sync', 'github')).errors).toEqual([]);
    expect(gh.state.issues.get(p)?.parent).toBeNull();
    expect(gh.issue(p)).toMatchObject({ state: 'open', state_reason: 'reopened' });

    const writes = gh.writes();
    const quiet = await run(dir, 'sync', 'github');
    expect(quiet.commits).toEqual([]);
    expect(gh.writes()).toBe(writes);
    expect(gh.violations).toEqual([]);
  });
});

describe('github relations', () => {
  const track = trackCleanups();
  let gh: GithubStandin;
  beforeAll(async () => {
    gh = await new GithubStandin({ token: 'ghp_rel' }).start();
  });
  afterAll(() => gh.close());
  const run = tackJsonAsync;

  it('syncs "blocks" both ways as issue dependencies, adding and removing', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    await run(dir, 'connect', 'github', '--repo', 'acme/widgets', '--api-url', gh.url, '--api-key', 'ghp_rel');
    const [a, b, c] = [
      (await run(dir, 'create', 'A')).id as string,
      (await run(dir, 'create', 'B')).id as string,
      (await run(dir, 'create', 'C')).id as string,
    ];
    // (Linked after the first pass: the engine pushes a relation once both ends have a
    // remote issue, and GitHub has no client ids to know B's number before B exists.)
    expect((await run(dir, 'sync', 'github')).errors).toEqual([]);
    await run(dir, 'link', a, 'blocks', b);
    expect((await run(dir, 'sync', 'github')).errors).toEqual([]);
    const num = async (id: string) => Number((await run(dir, 'show', id)).extra.external.github.id);
    const [na, nb, nc] = [await num(a), await num(b), await num(c)];
    expect([...gh.state.issues.get(nb)!.blockedBy]).toEqual([na]);
    // On GitHub: C is marked blocked by A too.
    const res = await fetch(`${gh.url}/repos/acme/widgets/issues/${nc}/dependencies/blocked_by`, {
      method: 'POST',
      headers: { authorization: 'token ghp_rel', 'content-type': 'application/json' },
      body: JSON.stringify({ issue_id: gh.issue(na).id }),
    });
    expect(res.status).toBe(201);
    expect((await run(dir, 'sync', 'github')).errors).toEqual([]);
    expect(((await run(dir, 'show', a)).blocks as string[]).sort()).toEqual([b, c].sort());
    // Locally: A no longer blocks B. A "related" link has no GitHub counterpart: kept locally only.
    await run(dir, 'unlink', a, 'blocks', b);
    await run(dir, 'link', a, 'related', b);
    expect((await run(dir, 'sync', 'github')).errors).toEqual([]);
    expect([...gh.state.issues.get(nb)!.blockedBy]).toEqual([]);
    expect((await run(dir, 'show', a)).related).toEqual([b]);
    const writes = gh.writes();
    expect((await run(dir, 'sync', 'github')).commits).toEqual([]);
    expect(gh.writes()).toBe(writes);
    expect(gh.violations).toEqual([]);
  });
});

describe('github webhook registration', () => {
  const track = trackCleanups();

  it('connect --callback-url creates the repository webhook once, signed with the secret', async () => {
    const gh = await new GithubStandin({ token: 'ghp_hooks', users: ['octocat'] }).start();
    track(() => gh.close());
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const url = 'http://127.0.0.1:9/hooks/github';
    const base = [
      'connect',
      'github',
      '--repo',
      'acme/widgets',
      '--api-url',
      gh.url,
      '--api-key',
      'ghp_hooks',
      '--callback-url',
      url,
      '--json',
    ];

    const noSecret = await tackAwait(dir, base);
    expect(noSecret.status).not.toBe(0);
    expect(noSecret.stderr).toMatch(/needs a secret/);
    expect(gh.repoHooks).toEqual([]);

    const first = await tackAwait(dir, [...base, '--webhook-secret', 'hook-secret']);
    expect(first.status, first.stderr).toBe(0);
    const hook = JSON.parse(first.stdout).webhook;
    expect(hook).toEqual({ id: expect.any(String), created: true });
    expect(gh.repoHooks).toEqual([
      expect.objectContaining({
        id: Number(hook.id),
        active: true,
        events: ['issues', 'issue_comment'],
        config: expect.objectContaining({ url, content_type: 'json', secret: 'hook-secret' }),
      }),
    ]);

    const again = await tackAwait(dir, base);
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).webhook).toEqual({ id: hook.id, created: false });
    expect(gh.repoHooks).toHaveLength(1);
    expect(gh.violations).toEqual([]);
  });
});

describe('github first sync of a large repository', () => {
  const track = trackCleanups();
  let gh: GithubStandin;
  beforeAll(async () => {
    gh = await new GithubStandin({ token: 'ghp_big', users: ['octocat'] }).start();
  });
  afterAll(() => gh.close());

  it('brings every issue across pages, closed-and-locked ones too, no pull request, and edits made mid-pass', async () => {
    // 260 items over ten days of history (GitHub's list moves in time, not in one second):
    // every 13th is a pull request, every 10th issue closed and locked by a lock bot.
    const issues: number[] = [];
    const locked: number[] = [];
    for (let i = 0; i < 260; i++) {
      gh.state.clockOffsetMs = -(260 - i) * 3_600_000;
      const n = gh.remoteCreate({ title: `Item ${i}` });
      const rec = gh.state.issues.get(n)!;
      if (i % 13 === 0) {
        (rec.issue as { pull_request?: unknown }).pull_request = { url: `${gh.url}/pulls/${n}` };
        continue;
      }
      issues.push(n);
      if (i % 10 === 0) {
        Object.assign(rec.issue, { state: 'closed', state_reason: 'completed', locked: true });
        locked.push(n);
      }
    }
    gh.state.clockOffsetMs = 0;
    // While the pass runs: after page 1 is read, one issue on it and one not yet read are edited.
    let edited = false;
    gh.afterListPage = (page) => {
      if (page !== 1 || edited) return;
      edited = true;
      gh.remoteEdit(issues[3], { title: 'Edited while the pass ran (already read)' });
      gh.remoteEdit(issues[200], { title: 'Edited while the pass ran (not yet read)' });
    };
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const run = (...args: string[]) => tackJsonAsync(dir, ...args);
    await run('connect', 'github', '--repo', 'acme/widgets', '--api-url', gh.url, '--api-key', 'ghp_big');
    const first = await run('sync', 'github');
    expect(first.errors).toEqual([]);
    expect(edited).toBe(true);
    // The pass accounts for every item GitHub listed: each issue mirrored, each pull request skipped.
    expect(first.reconciliation).toEqual({
      seen: issues.length,
      mirrored: issues.length,
      deletedHere: 0,
      skipped: 260 - issues.length,
      outOfScope: 0,
      missing: 0,
    });
    const numbers = async () => {
      const rows = (await run(
        'sql',
        `SELECT json_extract(fields, '$.external.github.id') AS n, title, archived FROM tickets`,
      )) as Array<{ n: string | number; title: string; archived: number }>;
      return new Map(rows.map((r) => [Number(r.n), r]));
    };
    let got = await numbers();
    expect([...got.keys()].sort((a, b) => a - b)).toEqual(issues); // every issue, no pull request
    // Closed and locked: imported into archive/, not dropped.
    expect(locked.length).toBeGreaterThan(20);
    expect(locked.every((n) => got.get(n)?.archived === 1)).toBe(true);
    expect(got.get(issues[200])?.title).toBe('Edited while the pass ran (not yet read)');
    // The edit behind the walk arrives by the next pass at the latest.
    await run('sync', 'github');
    got = await numbers();
    expect(got.get(issues[3])?.title).toBe('Edited while the pass ran (already read)');
    expect(got.size).toBe(issues.length);
    expect(gh.violations).toEqual([]);
  }, 120_000);
});

describe('github changes in the second of our own write', () => {
  const track = trackCleanups();
  let gh: GithubStandin;
  beforeAll(async () => {
    gh = await new GithubStandin({ token: 'ghp_same', users: ['octocat', 'hubot'] }).start();
  });
  afterAll(() => gh.close());

  // GitHub's `updated_at` has whole seconds: a comment or an edit someone makes in the second
  // our write left leaves it unchanged; the connector's content-fingerprinted milliseconds
  // (githubMapping.ts) keep it from passing for the echo of our write.
  it('a comment and an edit made in that second are brought across, then all is quiet', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const run = (...args: string[]) => tackJsonAsync(dir, ...args);
    await run('connect', 'github', '--repo', 'acme/widgets', '--api-url', gh.url, '--api-key', 'ghp_same');
    gh.state.frozenAt = Date.now();
    try {
      const { id } = await run('create', 'Same second');
      await run('comment', id, 'Mine');
      await run('sync', 'github');
      const n = Number((await run('show', id)).extra.external.github.id);
      await run('sync', 'github'); // the echo of our own writes, read once
      gh.remoteComment(n, 'Theirs', 'hubot');
      gh.remoteEdit(n, { title: 'Same second, renamed there' });
      expect(gh.state.issues.get(n)!.issue.updated_at).toBe(gh.state.now()); // unchanged by both
      await run('sync', 'github');
      const t = await run('show', id);
      expect(t.title).toBe('Same second, renamed there');
      expect(t.comments.map((c: { body: string }) => c.body.trim()).sort()).toEqual(['Mine', 'Theirs']);
      const quiet = await run('sync', 'github');
      expect(quiet.commits).toEqual([]);
      expect(quiet.remoteWrites).toBe(0);
    } finally {
      gh.state.frozenAt = null;
    }
    expect(gh.violations).toEqual([]);
  }, 60_000);
});
