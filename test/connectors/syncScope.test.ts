import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, tackAwait, tempStore, trackCleanups } from '../helpers.js';
import { GithubStandin } from '../standins/githubStandin.js';
import { startLinearStandin, type LinearStandin } from '../standins/linearStandin.js';
import { TrelloStandin } from '../standins/trelloStandin.js';

const run = async (dir: string, ...args: string[]) => {
  const r = await tackAwait(dir, [...args, '--json']);
  return { status: r.status, stderr: r.stderr, json: r.stdout.trim().startsWith('{') ? JSON.parse(r.stdout) : null };
};

describe('unknown users never fail an item', () => {
  const track = trackCleanups();
  let gh: GithubStandin;
  let linear: LinearStandin;
  beforeAll(async () => {
    gh = await new GithubStandin({ token: 'ghp_users', users: ['octocat'] }).start();
    linear = await startLinearStandin();
  });
  afterAll(async () => {
    await gh.close();
    await linear.stop();
  });

  it('GitHub (422 on unknown assignees): created unassigned, the user named in a warning, nothing retried in a loop', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    await run(dir, 'connect', 'github', '--repo', 'acme/widgets', '--api-url', gh.url, '--api-key', 'ghp_users');
    const ids: string[] = [];
    for (const who of ['ghost', 'octocat', 'ghost', 'phantom'])
      ids.push((await run(dir, 'create', `For ${who}`, '-a', who)).json.id);
    const first = await run(dir, 'sync', 'github');
    expect(first.json.errors).toEqual([]);
    expect(first.status).toBe(0);
    expect(first.json.remoteCreated).toBe(4);
    expect(gh.state.issues.size).toBe(4);
    const warnings = first.json.warnings.join('\n');
    expect(warnings).toMatch(new RegExp(`${ids[0]}: .*"ghost"`));
    expect(warnings).toMatch(new RegExp(`${ids[2]}: .*"ghost"`));
    expect(warnings).toMatch(new RegExp(`${ids[3]}: .*"phantom"`));
    // One refused request per unknown user, not per ticket.
    expect(gh.requests.filter((r) => r.status === 422)).toHaveLength(2);
    const assignees = [...gh.state.issues.values()].map((r) => (r.issue.assignees ?? []).map((a) => a.login).join(','));
    expect(assignees.sort()).toEqual(['', '', '', 'octocat']);
    // The tickets keep their assignee; the next pass creates nothing twice and fails nothing.
    const t = (await run(dir, 'show', ids[0])).json;
    expect(t.assignee).toBe('ghost');
    const second = await run(dir, 'sync', 'github');
    expect(second.json.errors).toEqual([]);
    expect(second.json.remoteCreated).toBe(0);
    expect(gh.state.issues.size).toBe(4);
  });

  it('GitHub: an update naming an unknown user still sends the other fields', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const gh = await new GithubStandin({ token: 'ghp_users', users: ['octocat'] }).start();
    track(() => void gh.close());
    await run(dir, 'connect', 'github', '--repo', 'acme/widgets', '--api-url', gh.url, '--api-key', 'ghp_users');
    const id = (await run(dir, 'create', 'Before')).json.id;
    await run(dir, 'sync', 'github');
    await run(dir, 'update', id, '--title', 'After', '-a', 'ghost');
    const r = await run(dir, 'sync', 'github');
    expect(r.stderr).toBe('');
    expect(r.json.errors).toEqual([]);
    expect(r.json.warnings.join('\n')).toMatch(/"ghost"/);
    const n = Number((await run(dir, 'show', id)).json.extra.external.github.id);
    expect(gh.state.issues.get(n)!.issue.title).toBe('After');
  });

  it('Trello (not a board member): the card is made without members, with a warning', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const tr = await new TrelloStandin({ key: 'k', token: 't', secret: 's' }).start();
    track(() => void tr.close());
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
    );
    const id = (await run(dir, 'create', 'Card for a stranger', '-a', 'stranger')).json.id;
    const r = await run(dir, 'sync', 'trello');
    expect(r.json.errors).toEqual([]);
    expect(r.json.warnings.join('\n')).toMatch(new RegExp(`${id}: .*"stranger"`));
    const cardId = (await run(dir, 'show', id)).json.extra.external.trello.id;
    expect(tr.state.cards.get(cardId)!.idMembers).toEqual([]);
  });

  it('Linear (no such user): created unassigned with a warning', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    await run(dir, 'connect', 'linear', '--team', 'ENG', '--api-url', linear.url, '--api-key', 'k');
    const id = (await run(dir, 'create', 'Nobody knows', '-a', 'zed')).json.id;
    const r = await run(dir, 'sync', 'linear');
    expect(r.json.errors).toEqual([]);
    expect(r.json.warnings.join('\n')).toMatch(new RegExp(`${id}: .*"zed"`));
    const remoteId = (await run(dir, 'show', id)).json.extra.external.linear.id;
    expect(linear.ws.issue(remoteId).assigneeId ?? null).toBeNull();
  });
});

describe('scoped, previewed sync', () => {
  const track = trackCleanups();
  const connected = async (...more: string[]) => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const gh = await new GithubStandin({ token: 'ghp_scope', users: ['octocat'] }).start();
    track(() => void gh.close());
    const c = await run(
      dir,
      'connect',
      'github',
      '--repo',
      'acme/widgets',
      '--api-url',
      gh.url,
      '--api-key',
      'ghp_scope',
      ...more,
    );
    if (c.status !== 0) throw new Error(c.stderr);
    return { dir, gh };
  };
  const refs = (dir: string) => git(dir, 'for-each-ref');

  it('--dry-run lists what would be created, updated and closed on each side and writes nothing', async () => {
    const { dir, gh } = await connected();
    const a = (await run(dir, 'create', 'Alpha')).json.id;
    const b = (await run(dir, 'create', 'Beta')).json.id;
    const r1 = gh.remoteCreate({ title: 'Remote one', body: 'from GitHub' });
    const [before, writes] = [refs(dir), gh.writes()];
    const dry = await run(dir, 'sync', 'github', '--dry-run');
    expect(dry.status).toBe(0);
    expect(dry.json.dryRun).toBe(true);
    expect(dry.json.plan.local).toEqual([
      expect.objectContaining({ action: 'create', remote: `#${r1}`, title: 'Remote one' }),
    ]);
    expect(
      dry.json.plan.remote
        .filter((e: { action: string }) => e.action === 'create')
        .map((e: { ticket: string }) => e.ticket)
        .sort(),
    ).toEqual([a, b].sort());
    expect(dry.json.commits).toEqual([]);
    // Nothing written: no commit, no remote write, no cursor, no mapping.
    expect(refs(dir)).toBe(before);
    expect(gh.writes()).toBe(writes);
    expect(gh.state.issues.size).toBe(1);
    expect((await run(dir, 'connections')).json.connections[0]).toMatchObject({ cursor: null, synced: 0, pending: [] });
    expect((await run(dir, 'show', a)).json.extra?.external).toBeUndefined();
    // The real pass then does what the dry run said.
    const real = await run(dir, 'sync', 'github');
    expect(real.json).toMatchObject({ localCreated: 1, remoteCreated: 2, errors: [] });
    // Closed here, edited there: a close on the remote side, an update on the local one.
    await run(dir, 'close', a);
    gh.remoteEdit(r1, { title: 'Remote one, renamed' });
    const [before2, writes2] = [refs(dir), gh.writes()];
    const dry2 = await run(dir, 'sync', 'github', '--dry-run');
    const aKey = `#${(await run(dir, 'show', a)).json.extra.external.github.id}`;
    expect(dry2.json.plan.remote).toEqual([expect.objectContaining({ action: 'close', remote: aKey })]);
    expect(dry2.json.plan.local).toEqual([
      expect.objectContaining({ action: 'update', remote: `#${r1}`, title: 'Remote one, renamed', fields: ['title'] }),
    ]);
    expect(refs(dir)).toBe(before2);
    expect(gh.writes()).toBe(writes2);
    const text = await tackAwait(dir, ['sync', 'github', '--dry-run']);
    expect(text.stdout).toMatch(
      /dry run, nothing written\): local: 0 create, 1 update, 0 close; remote: 0 create, 0 update, 1 close/,
    );
    const real2 = await run(dir, 'sync', 'github');
    expect(real2.json).toMatchObject({ localUpdated: 1, remoteUpdated: 1, errors: [] });
    expect(gh.state.issues.get(Number(aKey.slice(1)))!.issue.state).toBe('closed');
  });

  it('--filter limits which tickets go out (tack list filters); --filter all lifts it; a bad value changes nothing', async () => {
    const { dir, gh } = await connected('--filter', 'label=sync');
    const a = (await run(dir, 'create', 'In scope', '--label', 'sync')).json.id;
    const b = (await run(dir, 'create', 'Not in scope')).json.id;
    const r = await run(dir, 'sync', 'github');
    expect(r.json).toMatchObject({ remoteCreated: 1, outOfScope: 1, errors: [] });
    expect([...gh.state.issues.values()].map((x) => x.issue.title)).toEqual(['In scope']);
    expect((await run(dir, 'show', a)).json.extra.external.github).toBeTruthy();
    expect((await run(dir, 'show', b)).json.extra?.external).toBeUndefined();
    // Remote items all come in, whatever the filter.
    gh.remoteCreate({ title: 'From GitHub' });
    expect((await run(dir, 'sync', 'github')).json.localCreated).toBe(1);
    const bad = await run(dir, 'connect', 'github', '--repo', 'acme/widgets', '--filter', 'type=nonsense');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/nonsense/);
    const badKey = await run(dir, 'connect', 'github', '--repo', 'acme/widgets', '--filter', 'colour=red');
    expect(badKey.status).not.toBe(0);
    expect(badKey.stderr).toMatch(/--filter takes KEY=VALUE/);
    expect((await run(dir, 'sync', 'github')).json.outOfScope).toBe(1);
    expect((await run(dir, 'connections')).json.connections[0].filter).toEqual({ label: ['sync'] });
    await run(dir, 'connect', 'github', '--repo', 'acme/widgets', '--filter', 'all');
    const all = await run(dir, 'sync', 'github');
    expect(all.json).toMatchObject({ remoteCreated: 1, outOfScope: 0 });
  });
});

describe('first sync of many issues', () => {
  const track = trackCleanups();

  it('imports in batches (few commits), saves the cursor after each page, and resumes where an outage stopped it', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const gh = await new GithubStandin({ token: 'ghp_first', users: [] }).start();
    track(() => void gh.close());
    for (let i = 0; i < 250; i++) {
      gh.state.clockOffsetMs = -(250 - i) * 3_600_000;
      gh.remoteCreate({ title: `Old ${i}` });
    }
    gh.state.clockOffsetMs = 0;
    await run(dir, 'connect', 'github', '--repo', 'acme/widgets', '--api-url', gh.url, '--api-key', 'ghp_first');
    const env = { TACK_SYNC_RETRIES: '1', TACK_SYNC_BATCH: '60' };
    const count = async () =>
      JSON.parse((await tackAwait(dir, ['list', '--all', '--limit', '0', '--json'])).stdout).length;
    // The list fails after its first page (100 issues): the pass stops, but that page is in.
    gh.failListAfter(1);
    const cut = await tackAwait(dir, ['sync', 'github', '--json'], env);
    expect(cut.status).not.toBe(0);
    gh.recover();
    expect(await count()).toBe(100);
    const state = (await run(dir, 'connections')).json.connections[0];
    expect(state.cursor).not.toBeNull();
    expect(state.synced).toBe(100);
    // 100 imports in batches of 60: two commits, not a hundred.
    expect(git(dir, 'log', '--all', '--oneline', '--grep', 'sync github: import').trim().split('\n')).toHaveLength(2);
    const next = JSON.parse((await tackAwait(dir, ['sync', 'github', '--json'], env)).stdout);
    expect(next.errors).toEqual([]);
    expect(next.localCreated).toBe(150);
    // Resumed: the first page is not read again (only what the overlap window repeats).
    expect(next.pulled).toBeLessThan(160);
    expect(await count()).toBe(250);
    expect(next.commits.length).toBeLessThanOrEqual(3);
  });
});
