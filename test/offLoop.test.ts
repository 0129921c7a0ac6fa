import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { git, tackAsync, tackJson, tempStore, trackCleanups, waitFor } from './helpers.js';
import { GithubStandin } from './standins/githubStandin.js';
import { firstRead, startServe, type ServerProc } from './serverHarness.js';
import { RUNAWAY } from './processes.js';
import { slowGit } from './slowGit.js';

/*
 * Nothing the server does with git holds its event loop (issue 13): the idle hand-edit
 * commit, reads that run git, and index refreshes run in worker processes. The server runs
 * a git that sleeps 4 s on the subcommands a test names (a wrapper first on its PATH);
 * while one sleeps, a request that needs no git answers well before the sleep ends.
 */

const track = trackCleanups();
const servers: ServerProc[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.stop();
});

async function timed(url: string): Promise<{ status: number; ms: number; body: unknown }> {
  const t0 = Date.now();
  const res = await fetch(url);
  const body = await res.json();
  return { status: res.status, ms: Date.now() - t0, body };
}

function store(): string {
  const s = tempStore();
  track(s.cleanup);
  tackJson(s.dir, 'create', 'Alpha');
  return s.dir;
}

describe('git off the event loop', () => {
  it('the idle commit of a hand edit runs in the write lane: a read answers while its git is slow', async () => {
    const dir = store();
    const mount = tackJson(dir, 'mount').mount as string;
    const id = (tackJson(dir, 'list') as Array<{ id: string }>)[0].id;
    const g = slowGit(track);
    const s = await startServe(dir, ['--idle', '300ms'], g.env);
    servers.push(s);
    await firstRead(s);
    g.slow('update-ref');
    const file = join(mount, 'tickets', `${id}.md`);
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nEdited by hand.\n`);
    await waitFor('the idle commit to start', g.started, 20_000).catch((e) => {
      throw new Error(`${e.message}: ${git(dir, 'log', '--format=%s', 'tack')} ${s.stderr()}`);
    });
    const read = await timed(`${s.url}/api/tickets`);
    expect(read.status).toBe(200);
    expect(g.slept(), `the read took ${read.ms} ms`).toBe(false); // answered while git slept
    // The commit lands, once, in turn, and the server reports it.
    await waitFor('the hand edit in git', () => /by hand/.test(git(dir, 'log', '-1', '--format=%s', 'tack')), 30_000);
    expect(git(dir, 'show', `tack:tickets/${id}.md`)).toMatch(/Edited by hand\./);
    expect(git(dir, 'log', '--format=%s', 'tack').match(/by hand/g)).toHaveLength(1);
    expect(s.stderr()).not.toMatch(/\n\s+at /);
  });

  it("the server's own writes are indexed by the write lane alone: no refresh reads them again", async () => {
    const dir = store();
    const ids = Array.from({ length: 12 }, (_, i) => tackJson(dir, 'create', `Write target ${i}`).id as string);
    const g = slowGit(track, 0);
    const s = await startServe(dir, [], g.env);
    servers.push(s);
    // A refresh reads new commits with `git log`; the write lane indexes its own without it.
    g.slow('log');
    const patch = (id: string, priority: string) =>
      fetch(`${s.url}/api/tickets/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ priority }),
      }).then((r) => r.status);
    // Four at a time, as concurrent clients: the ref moves while other requests read the index.
    for (let i = 0; i < ids.length; i += 4)
      expect(await Promise.all(ids.slice(i, i + 4).map((id) => patch(id, 'urgent')))).toEqual([200, 200, 200, 200]);
    const list = (await (await fetch(`${s.url}/api/tickets?limit=0`)).json()) as Array<{ priority: string }>;
    expect(list.filter((t) => t.priority === 'urgent')).toHaveLength(ids.length);
    // Before, about two writes in three were read again by the refresh lane; a loaded
    // machine may still let one slip past the wait, never most.
    expect(g.runs()).toBeLessThanOrEqual(2);
  });

  it('writes that queue behind a slow one go together: a commit each, one ref update for all', async () => {
    const dir = store();
    const ids = Array.from({ length: 6 }, (_, i) => tackJson(dir, 'create', `Grouped ${i}`).id as string);
    const g = slowGit(track, 2);
    const s = await startServe(dir, [], g.env);
    servers.push(s);
    const commitsBefore = Number(git(dir, 'rev-list', '--count', 'tack'));
    g.slow('update-ref');
    const patch = (id: string) =>
      fetch(`${s.url}/api/tickets/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ priority: 'urgent' }),
      }).then((r) => r.status);
    const first = patch(ids[0]);
    await waitFor('the first write to move its ref', g.started, 20_000);
    const rest = Promise.all(ids.slice(1).map(patch));
    expect([await first, ...(await rest)]).toEqual(ids.map(() => 200));
    expect(Number(git(dir, 'rev-list', '--count', 'tack'))).toBe(commitsBefore + ids.length);
    const subjects = git(dir, 'log', '--format=%s', `-${ids.length}`, 'tack');
    for (const id of ids) expect(subjects).toContain(`update ${id}`);
    // The five that queued behind the first moved the ref once.
    expect(g.runs()).toBe(2);
    expect(git(dir, 'reflog', 'show', '--format=%gs', '-1', 'tack')).toMatch(/\(and 4 more commits\)/);
    for (const id of ids) expect(tackJson(dir, 'show', id).priority).toBe('urgent');
  });

  it('a read that runs git runs in the read lane: another read answers while it is slow', async () => {
    const dir = store();
    const g = slowGit(track);
    const s = await startServe(dir, [], g.env);
    servers.push(s);
    await firstRead(s);
    g.slow('for-each-ref');
    const branches = timed(`${s.url}/api/branch-list`);
    await waitFor('branch-list to run git', g.started, 20_000);
    const read = await timed(`${s.url}/api/tickets`);
    expect(read.status).toBe(200);
    expect(g.slept(), `the read took ${read.ms} ms`).toBe(false); // answered while git slept
    expect((await branches).status).toBe(200);
  });

  it('a read past its deadline is stopped: the next read that runs git does not wait for it', async () => {
    const dir = store();
    // The stopped read's git sleeps far longer than the next read may take on any machine.
    const g = slowGit(track, 90);
    const s = await startServe(dir, ['--request-timeout', '2s'], g.env);
    servers.push(s);
    // A loaded machine's read can pass the 2 s deadline by itself (a new server's first,
    // and the first of the read lane started again below): those are retried.
    const answered = async (what: string) => {
      const end = Date.now() + 60_000;
      for (;;) {
        const r = await timed(`${s.url}/api/branch-list`);
        if (r.status === 200) return r;
        expect(r.status, what).toBe(504);
        if (Date.now() > end) throw new Error(`${what}: no read answered in 60 s: ${s.stderr()}`);
      }
    };
    await answered('the read lane is up');
    g.slow('for-each-ref');
    const late = await timed(`${s.url}/api/branch-list`);
    expect(late.status).toBe(504);
    await waitFor('the read to run git', g.started, 20_000);
    g.slow(); // git is quick again; the stopped read's git would sleep for a minute yet
    await answered('the read after the stopped one');
    // Had the lane waited for the stopped git, no read could have answered before its sleep ended.
    expect(g.slept()).toBe(false);
    expect(s.stderr()).not.toMatch(/\n\s+at /);
  });

  it('an index refresh runs in the refresh lane: a ref moved by plain git never holds the loop', async () => {
    const dir = store();
    tackJson(dir, 'create', 'Beta');
    const g = slowGit(track);
    const s = await startServe(dir, [], g.env);
    servers.push(s);
    await firstRead(s);
    g.slow('log');
    // Plain git moves the ref back: the index must re-read history (git log), slowly.
    git(dir, 'update-ref', 'refs/heads/tack', 'tack~1');
    const list = timed(`${s.url}/api/tickets`);
    await waitFor('the refresh to run git', g.started, 20_000);
    const other = await timed(`${s.url}/api/openapi.json`);
    expect(other.status).toBe(200);
    expect(g.slept(), `the read took ${other.ms} ms`).toBe(false); // answered while git slept
    // The read waited for the refresh, and answers with the state at the moved ref.
    const answered = await list;
    expect(answered.status).toBe(200);
    expect((answered.body as Array<{ title: string }>).map((t) => t.title)).toEqual(['Alpha']);
  });

  it('a live sync pass runs in a child process: a read answers while the pass commits slowly', async () => {
    const dir = store();
    const gh = await new GithubStandin({ token: 'ghp_live' }).start();
    track(() => void gh.close());
    const args = ['connect', 'github', '--repo', 'acme/widgets', '--api-url', gh.url, '--api-key', 'ghp_live'];
    const connected = await tackAsync(dir, [...args, '--poll', '300ms']);
    expect(connected.status, connected.stderr).toBe(0);
    gh.remoteCreate({ title: 'Filed on GitHub' });
    // A longer sleep than the others': a loaded machine's first read of a new server is slow.
    const g = slowGit(track, 10);
    g.slow('update-ref');
    const s = await startServe(dir, [], g.env);
    servers.push(s);
    await waitFor('the poll pass to commit', g.started, 20_000).catch((e) => {
      throw new Error(`${e.message}: ${s.stderr()}`);
    });
    const read = await timed(`${s.url}/api/tickets`);
    expect(read.status).toBe(200);
    // Answered while the pass's update-ref still slept: a pass on the event loop would hold it.
    expect(g.slept(), `the read took ${read.ms} ms`).toBe(false);
    // The pass goes on in its child and the import lands.
    await waitFor(
      'the imported issue',
      () => /sync github: import #1/.test(git(dir, 'log', '--format=%s', 'tack')),
      30_000,
    ).catch((e) => {
      throw new Error(`${e.message}: ${git(dir, 'log', '--format=%s', 'tack')} ${s.stderr()}`);
    });
    const after = await timed(`${s.url}/api/tickets`);
    expect((after.body as Array<{ title: string }>).map((t) => t.title)).toContain('Filed on GitHub');
    expect(s.stderr()).not.toMatch(/\n\s+at /);
  });

  it("the poller spaces its passes by the budget a pass's child process saw", async () => {
    const dir = store();
    // A pass costs three requests: the first one spends a budget of four below the poller's
    // floor of two, so the log line does not wait on many passes of a loaded machine.
    const gh = await new GithubStandin({ token: 'ghp_live', rateLimit: 4 }).start();
    track(() => void gh.close());
    const args = ['connect', 'github', '--repo', 'acme/widgets', '--api-url', gh.url, '--api-key', 'ghp_live'];
    expect((await tackAsync(dir, [...args, '--poll', '200ms'])).status).toBe(0);
    const s = await startServe(dir);
    servers.push(s);
    await waitFor(
      'a poll planned for a low budget',
      () => /github next poll in \d+ s \(budget low\)/.test(s.stderr()),
      20_000,
    );
  });

  it('a runaway SQL query never holds a write: the write commits while the query runs', async () => {
    const dir = store();
    const id = (tackJson(dir, 'list') as Array<{ id: string }>)[0].id;
    // The query's answer comes at the request deadline; the write has as long on a loaded machine.
    const s = await startServe(dir, ['--request-timeout', '15s']);
    servers.push(s);
    // The query's own limit (30 s) is past the request deadline (15 s) of the write below.
    const query = fetch(`${s.url}/api/sql?query=${encodeURIComponent(RUNAWAY)}&timeout=30s`);
    await new Promise((r) => setTimeout(r, 500));
    const res = await fetch(`${s.url}/api/tickets/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ priority: 'high' }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(git(dir, 'show', `tack:tickets/${id}.md`)).toMatch(/^priority: high$/m);
    expect((await query).status).toBe(504);
  });
});
