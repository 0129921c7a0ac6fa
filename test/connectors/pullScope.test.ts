import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, tackAwait, tempStore, trackCleanups } from '../helpers.js';
import { GithubStandin } from '../standins/githubStandin.js';
import { startLinearStandin, type LinearStandin } from '../standins/linearStandin.js';
import { TrelloStandin } from '../standins/trelloStandin.js';

const run = async (dir: string, ...args: string[]) => {
  const r = await tackAwait(dir, [...args, '--json']);
  return { status: r.status, stderr: r.stderr, json: r.stdout.trim().startsWith('{') ? JSON.parse(r.stdout) : null };
};
const titles = async (dir: string) =>
  (JSON.parse((await tackAwait(dir, ['list', '--all', '--limit', '0', '--json'])).stdout) as Array<{ title: string }>)
    .map((t) => t.title)
    .sort();
const connectionsFile = (dir: string) => readFileSync(join(dir, '.git', 'tack', 'connections.json'), 'utf8');

describe('--pull-filter: which remote items come in', () => {
  const track = trackCleanups();
  let gh: GithubStandin;
  beforeAll(async () => {
    gh = await new GithubStandin({ token: 'ghp_pull', users: ['octocat'] }).start();
  });
  afterAll(async () => {
    await gh.close();
  });
  const connect = async (dir: string, ...more: string[]) =>
    run(dir, 'connect', 'github', '--repo', 'acme/widgets', '--api-url', gh.url, '--api-key', 'ghp_pull', ...more);

  it('GitHub: only open issues labelled "tack" come in; the rest are counted, previewed as skipped, and linked ones keep syncing', async () => {
    gh.state.issues.clear();
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const c = await connect(dir, '--pull-filter', 'label=tack', '--pull-filter', 'state=open');
    expect(c.status).toBe(0);
    expect(c.json.pullFilter).toEqual({ label: ['tack'], state: ['open'] });
    const inScope = gh.remoteCreate({ title: 'Wanted', labels: ['tack', 'bug'] });
    gh.remoteCreate({ title: 'Unlabelled' });
    const closed = gh.remoteCreate({ title: 'Closed one', labels: ['tack'] });
    gh.remoteEdit(closed, { state: 'closed', state_reason: 'completed' });

    const before = git(dir, 'for-each-ref');
    const dry = await run(dir, 'sync', 'github', '--dry-run');
    expect(dry.json.plan.local.map((e: { action: string; title: string }) => `${e.action} ${e.title}`).sort()).toEqual([
      'create Wanted',
      'skip Closed one',
      'skip Unlabelled',
    ]);
    expect(dry.json.reconciliation).toMatchObject({ seen: 3, mirrored: 1, outOfScope: 2, missing: 0 });
    const text = await tackAwait(dir, ['sync', 'github', '--dry-run']);
    expect(text.stdout).toMatch(/local: 1 create, 0 update, 0 close, 2 skipped \(--pull-filter\)/);
    expect(text.stdout).toMatch(/local skip: #\d+ "Unlabelled"/);
    expect(git(dir, 'for-each-ref')).toBe(before);

    const r = await run(dir, 'sync', 'github');
    expect(r.json).toMatchObject({ localCreated: 1, errors: [] });
    expect(r.json.reconciliation).toEqual({
      seen: 3,
      mirrored: 1,
      deletedHere: 0,
      skipped: 0,
      outOfScope: 2,
      missing: 0,
    });
    expect(await titles(dir)).toEqual(['Wanted']);
    // `tack connect status` (= `tack connections`) reports the last pass's count.
    const status = (await run(dir, 'connect', 'status')).json.connections[0];
    expect(status.pullFilter).toEqual({ label: ['tack'], state: ['open'] });
    expect(status.reconciliation).toMatchObject({ seen: 3, mirrored: 1, outOfScope: 2, missing: 0 });
    expect((await tackAwait(dir, ['connections'])).stdout).toMatch(
      /last pass: 3 remote items read: 1 mirrored, 2 outside --pull-filter/,
    );

    // A linked issue that leaves the scope keeps syncing; one that enters it comes in.
    gh.remoteEdit(inScope, { title: 'Wanted, renamed', labels: ['bug'], state: 'closed', state_reason: 'completed' });
    const unlabelled = [...gh.state.issues.values()].find((x) => x.issue.title === 'Unlabelled')!.issue.number;
    gh.remoteEdit(unlabelled, { labels: ['tack'] });
    const next = await run(dir, 'sync', 'github');
    expect(next.json).toMatchObject({ localCreated: 1, localUpdated: 1, errors: [] });
    // ("Closed one" is read again in the pull's overlap window, and left out again.)
    expect(next.json.reconciliation).toMatchObject({ mirrored: 2, outOfScope: 1, missing: 0 });
    expect(await titles(dir)).toEqual(['Unlabelled', 'Wanted, renamed']);

    // Lifting the filter starts the pull over: what it left out before comes in.
    const lifted = await connect(dir, '--pull-filter', 'all');
    expect(lifted.json.pullFilter).toBeNull();
    const all = await run(dir, 'sync', 'github');
    expect(all.json).toMatchObject({ localCreated: 1, errors: [] });
    expect(all.json.reconciliation).toMatchObject({ outOfScope: 0, missing: 0 });
    expect(await titles(dir)).toEqual(['Closed one', 'Unlabelled', 'Wanted, renamed']);
  });

  it('refuses a bad key or value with a clear error and leaves the connection as it was; values are data', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    await connect(dir, '--pull-filter', 'label=tack');
    const saved = connectionsFile(dir);
    const cases: Array<[string, RegExp]> = [
      ['colour=red', /--pull-filter takes KEY=VALUE with KEY one of label, state, category, milestone for github/],
      ['list=Doing', /KEY one of label, state, category/], // Trello's key, not GitHub's
      ['state=merged', /--pull-filter state: expected one of open, closed, got "merged"/],
      ['category=done', /expected one of triage, backlog, unstarted, started, completed, canceled/],
      ['label=', /--pull-filter takes KEY=VALUE/],
      ['label=a\nb', /without control characters/],
      [`label=${'x'.repeat(201)}`, /at most 200 characters/],
      ['=tack', /--pull-filter takes KEY=VALUE/],
    ];
    for (const [arg, message] of cases) {
      const bad = await connect(dir, '--pull-filter', arg);
      expect(bad.status, arg).not.toBe(0);
      expect(JSON.parse(bad.stderr).error.message, arg).toMatch(message);
      expect(connectionsFile(dir), arg).toBe(saved);
    }
    // A hostile label is compared, never sent as a query: it matches only an exact label.
    gh.state.issues.clear();
    const hostile = `$(touch pwned); ' OR 1=1 --,labels=*`;
    expect((await connect(dir, '--pull-filter', `label=${hostile}`)).status).toBe(0);
    gh.remoteCreate({ title: 'Plain', labels: ['tack'] });
    gh.remoteCreate({ title: 'Odd label', labels: [hostile] });
    const r = await run(dir, 'sync', 'github');
    expect(r.json.errors).toEqual([]);
    expect(await titles(dir)).toEqual(['Odd label']);
    const lists = gh.requests.filter((q) => q.method === 'GET' && /\/issues\?/.test(q.path));
    expect(lists.length).toBeGreaterThan(0);
    for (const q of lists) expect(q.path).not.toMatch(/labels=|pwned/);
  });
});

describe('--pull-filter on Linear and Trello', () => {
  const track = trackCleanups();
  let linear: LinearStandin;
  beforeAll(async () => {
    linear = await startLinearStandin();
  });
  afterAll(async () => {
    await linear.stop();
  });

  it('Linear: by workflow state name and label', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const ws = linear.ws;
    const state = (name: string) => ws.states.find((s) => s.name === name)!.id;
    const label = (name: string) => ws.labels.find((l) => l.name === name)!.id;
    ws.createIssue({
      teamId: ws.team.id,
      title: 'Doing a bug',
      stateId: state('In Progress'),
      labelIds: [label('bug')],
    });
    ws.createIssue({ teamId: ws.team.id, title: 'Todo bug', stateId: state('Todo'), labelIds: [label('bug')] });
    ws.createIssue({ teamId: ws.team.id, title: 'Doing a feature', stateId: state('In Progress') });
    const c = await run(
      dir,
      'connect',
      'linear',
      '--team',
      'ENG',
      '--api-url',
      linear.url,
      '--api-key',
      'k',
      '--pull-filter',
      'state=in progress',
      '--pull-filter',
      'label=BUG',
    );
    expect(c.status).toBe(0);
    const r = await run(dir, 'sync', 'linear');
    expect(r.json.errors).toEqual([]);
    expect(r.json.reconciliation).toMatchObject({ seen: 3, mirrored: 1, outOfScope: 2, missing: 0 });
    expect(await titles(dir)).toEqual(['Doing a bug']);
  });

  it('Trello: by list (name or id)', async () => {
    const { dir, cleanup } = tempStore();
    track(cleanup);
    const tr = await new TrelloStandin({ key: 'k', token: 't', secret: 's' }).start();
    track(() => void tr.close());
    tr.remoteCreate({ list: 'To Do', name: 'Waiting' });
    tr.remoteCreate({ list: 'Doing', name: 'Busy' });
    tr.remoteCreate({ list: 'Done', name: 'Finished' });
    const lists = ['unstarted=To Do', 'started=Doing', 'completed=Done'].flatMap((p) => [
      '--list',
      `${p.split('=')[0]}=${tr.listId(p.split('=')[1])}`,
    ]);
    const base = ['connect', 'trello', '--board', tr.boardId, '--api-url', tr.url, '--api-key', 'k', '--token', 't'];
    const bad = await run(dir, ...base, ...lists, '--pull-filter', 'state=open');
    expect(JSON.parse(bad.stderr).error.message).toMatch(/KEY one of label, list, category for trello/);
    await run(dir, ...base, ...lists, '--pull-filter', 'list=doing', '--pull-filter', `list=${tr.listId('To Do')}`);
    const r = await run(dir, 'sync', 'trello');
    expect(r.json.errors).toEqual([]);
    expect(r.json.reconciliation).toMatchObject({ mirrored: 2, outOfScope: 1, missing: 0 });
    expect(await titles(dir)).toEqual(['Busy', 'Waiting']);
  });
});
