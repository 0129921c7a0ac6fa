import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GithubStandin } from '../standins/githubStandin.js';
import { GithubConnector } from '../../src/connectors/github/githubConnector.js';
import { RateLimited, Transient, UnknownUser } from '../../src/connectors/connector.js';

/**
 * The GitHub connector (real @octokit/rest) against the GitHub stand-in: every request it
 * sends is validated against octokit's OpenAPI shapes by the stand-in.
 */

let gh: GithubStandin;
let hook: { server: Server; url: string; received: { body: Buffer; headers: Record<string, string> }[] };
let conn: GithubConnector;

async function receiver(): Promise<typeof hook> {
  const received: { body: Buffer; headers: Record<string, string> }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks), headers: req.headers as Record<string, string> });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/github`, received };
}

beforeEach(async () => {
  hook = await receiver();
  gh = await new GithubStandin({
    token: 'ghp_test',
    users: ['octocat', 'hubot'],
    webhook: { url: hook.url, secret: 'whsec' },
  }).start();
  conn = new GithubConnector(
    { kind: 'github', apiUrl: gh.url, scope: 'acme/widgets', webhookSecret: 'whsec' },
    { token: 'ghp_test' },
  );
});

afterEach(async () => {
  await gh.close();
  await new Promise((r) => hook.server.close(r));
});

const rejected = () => gh.requests.filter((r) => r.status === 422 || r.status === 400);

describe('GitHub connector against the stand-in', () => {
  it('creates an issue with a hidden marker that findByMarker finds again', async () => {
    const created = await conn.create(
      { title: 'Crash on save', description: 'It crashes.', labels: ['bug'], assignee: 'octocat' },
      'tk-abc1',
    );
    expect(created).toMatchObject({
      id: '1',
      key: '#1',
      title: 'Crash on save',
      description: 'It crashes.',
      state: 'unstarted',
      labels: ['bug'],
      assignee: 'octocat',
      tackId: 'tk-abc1',
    });
    expect(gh.issue(1).body).toContain('tack:tk-abc1');
    gh.remoteCreate({ title: 'someone else' });
    expect((await conn.findByMarker('tk-abc1'))?.id).toBe('1');
    expect(await conn.findByMarker('tk-none')).toBeNull();
    expect(rejected()).toEqual([]);
  });

  it('updates fields, closes with a reason and reopens', async () => {
    const { id } = await conn.create({ title: 'A', description: 'x' }, 'tk-a');
    const up = await conn.update(id, { title: 'B', description: 'y', labels: ['ui', 'p1'], assignee: 'hubot' });
    expect(up).toMatchObject({ title: 'B', description: 'y', labels: ['ui', 'p1'], assignee: 'hubot', tackId: 'tk-a' });
    expect((await conn.close(id, 'canceled')).state).toBe('canceled');
    expect(gh.issue(1)).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect((await conn.reopen(id)).state).toBe('unstarted');
    expect(gh.issue(1).state_reason).toBe('reopened');
    expect((await conn.update(id, { state: 'completed' })).state).toBe('completed');
    const archived = await conn.archive(id);
    expect(archived).toMatchObject({ state: 'completed', archived: true });
    expect(gh.issue(1)).toMatchObject({ state: 'closed', locked: true, active_lock_reason: 'resolved' });
    expect((await conn.archive(id)).archived).toBe(true); // idempotent
    const reopened = await conn.reopen(id);
    expect(reopened.archived).toBeUndefined();
    expect(gh.issue(1).locked).toBe(false);
    expect(conn.roundTripState('started')).toBe('unstarted');
    expect(conn.roundTripState('canceled')).toBe('canceled');
    expect(rejected()).toEqual([]);
  });

  it('reports an unknown assignee (422 from GitHub) as UnknownUser naming the login', async () => {
    const err = await conn.create({ title: 'A', assignee: 'nobody' }, 'tk-x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownUser);
    expect((err as UnknownUser).code).toBe('unknown_user');
    expect((err as UnknownUser).user).toBe('nobody');
  });

  it('sets and clears the parent through sub-issues and reads blocking relations', async () => {
    const parent = await conn.create({ title: 'Epic' }, 'tk-p');
    const child = await conn.create({ title: 'Part', parent: parent.id }, 'tk-c');
    expect(child.parent).toBe(parent.id);
    const other = await conn.create({ title: 'Other' }, 'tk-o');
    expect((await conn.update(child.id, { parent: other.id })).parent).toBe(other.id);
    expect((await conn.update(child.id, { parent: null })).parent).toBeNull();
    // "parent blocks child" is GitHub's "child is blocked by parent".
    await conn.setRelations(
      parent.id,
      [
        { type: 'blocks', target: child.id },
        { type: 'related', target: other.id },
      ],
      [],
    );
    expect((await conn.get(parent.id))?.relations).toEqual([{ type: 'blocks', target: child.id }]);
    expect(gh.state.issues.get(Number(child.id))?.blockedBy.has(Number(parent.id))).toBe(true);
    // Blocked on the GitHub side by a person: read back the same way.
    const res = await fetch(`${gh.url}/repos/acme/widgets/issues/${other.id}/dependencies/blocked_by`, {
      method: 'POST',
      headers: { authorization: 'token ghp_test', 'content-type': 'application/json' },
      body: JSON.stringify({ issue_id: gh.issue(Number(parent.id)).id }),
    });
    expect(res.status).toBe(201);
    expect((await conn.get(parent.id))?.relations).toEqual([
      { type: 'blocks', target: child.id },
      { type: 'blocks', target: other.id },
    ]);
    await conn.setRelations(
      parent.id,
      [{ type: 'blocks', target: other.id }],
      [
        { type: 'blocks', target: child.id },
        { type: 'blocks', target: other.id },
      ],
    );
    expect((await conn.get(parent.id))?.relations).toEqual([{ type: 'blocks', target: other.id }]);
    expect(rejected()).toEqual([]);
  });

  it('adds comments with a marker and reads remote comments with their ids', async () => {
    const { id } = await conn.create({ title: 'A' }, 'tk-a');
    const mine = await conn.addComment(id, 'from tack', 'c-1');
    expect(mine).toMatchObject({ body: 'from tack', tackId: 'c-1' });
    const theirs = gh.remoteComment(1, 'from github', 'hubot');
    const got = await conn.get(id);
    expect(got?.comments).toEqual([
      expect.objectContaining({ id: mine.id, body: 'from tack', tackId: 'c-1' }),
      expect.objectContaining({ id: String(theirs), body: 'from github', author: 'hubot' }),
    ]);
  });

  it('pulls incrementally: everything, then only changes, 304 when nothing changed', async () => {
    for (let i = 0; i < 3; i++) gh.remoteCreate({ title: `t${i}` });
    const first = await conn.pull(undefined);
    expect(first.items.map((i) => i.title).sort()).toEqual(['t0', 't1', 't2']);
    expect(first.more).toBe(false);
    const again = await conn.pull(first.nextCursor);
    const before = gh.requests.length;
    const third = await conn.pull(again.nextCursor);
    expect(third.items).toEqual([]);
    expect(gh.requests[before].status, 'the unchanged list answers 304').toBe(304);
    gh.state.clockOffsetMs = 120_000; // two minutes later, past the overlap window
    gh.remoteEdit(2, { title: 'changed' });
    const fourth = await conn.pull(third.nextCursor);
    // The overlap window re-reads the last minute before the cursor (harmless, deduped by
    // the engine); the change itself is there.
    expect(fourth.items.map((i) => i.title)).toContain('changed');
    gh.state.clockOffsetMs = 240_000;
    gh.remoteEdit(3, { title: 'changed again' });
    const fifth = await conn.pull(fourth.nextCursor);
    // Only what changed within the overlap before the cursor (the last pull's newest
    // item) or after it: the untouched t0 and t1 are not read again.
    expect(fifth.items.map((i) => i.title)).toEqual(['changed', 'changed again']);
  });

  it('walks pages with the Link header', async () => {
    for (let i = 0; i < 130; i++) gh.state.createIssue('octocat', { title: `n${i}` });
    const p1 = await conn.pull(undefined);
    expect(p1.items).toHaveLength(100);
    expect(p1.more).toBe(true);
    const p2 = await conn.pull(p1.nextCursor);
    expect(p2.items).toHaveLength(30);
    expect(p2.more).toBe(false);
    expect(new Set([...p1.items, ...p2.items].map((i) => i.id)).size).toBe(130);
  });

  it('never returns a pull request, by pull or get, and names the ones it skipped', async () => {
    const [a, pr, b] = ['issue a', 'a pull request', 'issue b'].map((title) => gh.remoteCreate({ title }));
    (gh.state.issues.get(pr)!.issue as { pull_request?: unknown }).pull_request = { url: `${gh.url}/pulls/${pr}` };
    const page = await conn.pull(undefined);
    expect(page.items.map((i) => i.id)).toEqual([String(a), String(b)]);
    expect(page.skipped).toEqual([String(pr)]);
    expect(await conn.get(String(pr))).toBeNull();
    expect((await conn.get(String(a)))?.title).toBe('issue a');
  });

  it('loses no issue when one edited mid-pass leaves a second the pass was paging through', async () => {
    // 150 issues updated in one second (a bulk edit, a migration), ten minutes ago: the
    // pass can only page through that second by page number.
    gh.state.clockOffsetMs = -600_000;
    for (let i = 0; i < 150; i++) gh.state.createIssue('octocat', { title: `bulk ${i}` });
    const bulk = [...gh.state.issues.values()].map((r) => r.issue);
    const second = bulk[0].updated_at;
    for (const i of bulk) i.updated_at = second;
    gh.state.clockOffsetMs = 0;
    const read = new Set<string>();
    const p1 = await conn.pull(undefined);
    for (const i of p1.items) read.add(i.id);
    expect(p1.more).toBe(true);
    // Between pages, an issue already read moves to now: the rest of the second shifts up one.
    gh.remoteEdit(bulk[5].number, { title: 'edited mid-pass' });
    let c = p1;
    while (c.more) {
      c = await conn.pull(c.nextCursor);
      for (const i of c.items) read.add(i.id);
    }
    gh.state.clockOffsetMs = 5_000; // the next poll, seconds later
    const next = await conn.pull(c.nextCursor);
    for (const i of next.items) read.add(i.id);
    expect(bulk.filter((i) => !read.has(String(i.number))).map((i) => i.number)).toEqual([]);
    // Once the list held still, the pass after does not read that second again.
    let after = next;
    while (after.more) after = await conn.pull(after.nextCursor);
    const quiet = await conn.pull(after.nextCursor);
    expect(quiet.items.map((i) => i.title)).toEqual(['edited mid-pass']);
  });

  it('turns 429, exhausted-quota 403 and 5xx into RateLimited and Transient', async () => {
    gh.fail(429, 1, 7);
    const a = await conn.get('1').catch((e: unknown) => e);
    expect(a).toBeInstanceOf(RateLimited);
    expect((a as RateLimited).retryAfterMs).toBe(7000);
    gh.fail(403, 1);
    expect(await conn.get('1').catch((e: unknown) => e)).toBeInstanceOf(RateLimited);
    gh.fail(502, 1);
    expect(await conn.get('1').catch((e: unknown) => e)).toBeInstanceOf(Transient);
    expect(await conn.get('1')).toBeNull();
  });

  it('reports a deleted issue as gone, by get and by the gap its number leaves in a pull', async () => {
    const n = gh.remoteCreate({ title: 'doomed' });
    const last = gh.remoteCreate({ title: 'newest, deleted later' });
    gh.remoteCreate({ title: 'kept' });
    const first = await conn.pull(undefined);
    expect(first.items.filter((i) => i.deleted)).toEqual([]);
    gh.remoteDelete(n);
    expect(await conn.get(String(n))).toBeNull();
    const second = await conn.pull(first.nextCursor);
    expect(second.items.filter((i) => i.deleted).map((i) => i.id)).toEqual([String(n)]);
    const stub = second.items.find((i) => i.deleted)!;
    gh.remoteDelete(3);
    const third = await conn.pull(second.nextCursor);
    // The same stub again (an echo for the engine), and the newest issue's deletion too.
    expect(third.items.filter((i) => i.deleted)).toEqual([stub, expect.objectContaining({ id: '3', deleted: true })]);
    expect(last).toBe(2);
    // Created and deleted between two pulls, and the newest: found by probing past the end.
    const late = await conn.create({ title: 'late' }, 'tk-late');
    gh.remoteDelete(Number(late.id));
    const fourth = await conn.pull(third.nextCursor);
    expect(fourth.items.filter((i) => i.deleted).map((i) => i.id)).toEqual([String(n), '3', late.id]);
  });

  it('gives same-second changes different updatedAt values, and equal content equal ones', async () => {
    const { id, updatedAt } = await conn.create({ title: 'A' }, 'tk-a');
    expect((await conn.get(id))?.updatedAt).toBe(updatedAt);
    gh.remoteEdit(Number(id), { title: 'B' }); // most likely within the same second
    const after = await conn.get(id);
    expect(after?.updatedAt).not.toBe(updatedAt);
    expect(after?.updatedAt.slice(0, 19)).toBe(gh.issue(Number(id)).updated_at.slice(0, 19));
  });

  it('verifies the signed webhooks GitHub sends and maps them to issues', async () => {
    const { id } = await conn.create({ title: 'A' }, 'tk-a');
    gh.remoteComment(Number(id), 'hello');
    await gh.settled();
    expect(hook.received.map((d) => d.headers['x-github-event'])).toEqual(['issues', 'issue_comment']);
    for (const d of hook.received) {
      expect(conn.verifyWebhook(d.body, d.headers)).toBe(true);
      expect(conn.parseWebhook(d.body, d.headers)).toMatchObject({
        issueIds: [id],
        deliveryId: d.headers['x-github-delivery'],
      });
    }
    const forged = Buffer.from(hook.received[0].body.toString().replace('"A"', '"B"'));
    expect(conn.verifyWebhook(forged, hook.received[0].headers)).toBe(false);
  });
});
