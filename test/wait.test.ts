import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { git, revParse, tack, tackAsync, tackFail, tackJson, tackRaw, tempStore, trackCleanups } from './helpers.js';
import { remoteWithStore } from './syncHelpers.js';
import { closeClients, connect } from './mcpClient.js';
import { startServe } from './serverHarness.js';

const track = trackCleanups();
afterEach(closeClients);
const HUMAN = { TACK_USER: 'Test User' };
const AGENT = { TACK_USER: 'agent-1' };

function store(): string {
  const s = tempStore({ prefix: 'tack-wait-' });
  track(s.cleanup);
  return s.dir;
}

function json(r: { status: number; stdout: string; stderr: string }): any {
  if (!r.stdout.trim()) throw new Error(`no answer (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** A `tack wait` running in its own process; `pending()` says whether it has not answered yet. */
function startWait(dir: string, args: string[], env: Record<string, string> = {}) {
  let done = false;
  const result = tackAsync(dir, ['wait', ...args, '--json'], env).then((r) => {
    done = true;
    return r;
  });
  return { result, pending: () => !done };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('tack wait (CLI)', () => {
  it('returns when another process moves the ticket, and says which condition held', async () => {
    const dir = store();
    const id = tackJson(dir, 'create', 'Port the parser').id;
    const w = startWait(dir, [id, '--state', 'in-progress', '--timeout', '30']);
    await sleep(1500);
    expect(w.pending()).toBe(true); // nothing held yet: it waits
    tack(dir, 'update', id, '--status', 'in-progress');
    const r = await w.result;
    expect(r.status).toBe(0);
    const ans = json(r);
    expect(ans).toMatchObject({ held: 'state', timedOut: false, capped: false, detail: { state: 'in-progress' } });
    expect(ans.ticket.id).toBe(id);
    // It waited (pending above); how long it counts depends on when a loaded machine started it.
    expect(ans.waitedMs).toBeGreaterThan(0);
    expect(ans.waitedMs).toBeLessThan(25_000);
  });

  it('inline store: wakes on the commit, not on the fallback re-test', async () => {
    const s = tempStore({ inline: true, prefix: 'tack-wait-inline-' });
    track(s.cleanup);
    const id = tackJson(s.dir, 'create', 'Inline work').id;
    const w = startWait(s.dir, [id, '--category', 'completed', '--timeout', '30']);
    // Re-tests without a wake come at 1, 3 and 7 s: a close at 3.5 s is seen at 7 s unless
    // the ref watcher (inline: the current branch's ref) wakes the wait.
    await sleep(3500);
    tack(s.dir, 'close', id);
    const ans = json(await w.result);
    expect(ans).toMatchObject({ held: 'category', timedOut: false });
    expect(ans.waitedMs).toBeLessThan(6500);
  });

  it('times out with exit status 124 and timedOut: true; --timeout 0 tests once', () => {
    const dir = store();
    const id = tackJson(dir, 'create', 'Slow thing').id;
    const r = tackRaw(dir, ['wait', id, '--category', 'completed', '--timeout', '1', '--json']);
    expect(r.status).toBe(124);
    expect(json(r)).toMatchObject({ held: null, timedOut: true, ticket: null, timeoutMs: 1000 });
    expect(json(r).waitedMs).toBeGreaterThanOrEqual(1000);
    const now = tackRaw(dir, ['wait', id, '--category', 'unstarted', '--timeout', '0', '--json']);
    expect(now.status).toBe(0);
    expect(json(now)).toMatchObject({ held: 'category', detail: { category: 'unstarted' } });
    // Human output: the message, and the status still says it timed out.
    const human = tackRaw(dir, ['wait', id, '--state', 'done', '--timeout', '0']);
    expect(human.status).toBe(124);
    expect(human.stdout).toContain('nothing held within 0s');
  });

  it('an answer to a question wakes the asker; a verdict wakes the submitter', async () => {
    const dir = store();
    const id = tackJson(dir, 'create', 'Sessions', '--audience', 'agent').id;
    tackRaw(dir, ['claim', id], AGENT);
    expect(tackRaw(dir, ['ask', id, 'Which cookie name?'], AGENT).status).toBe(0);
    const w = startWait(dir, ['--answered', id, '--timeout', '30'], AGENT);
    await sleep(800);
    expect(tackRaw(dir, ['answer', id, 'Call it `sid`.'], HUMAN).status).toBe(0);
    const a = json(await w.result);
    expect(a).toMatchObject({
      held: 'answered',
      detail: { question: 'Which cookie name?', answer: 'Call it `sid`.', answered_by: 'Test User' },
    });

    const sub = json(tackRaw(dir, ['submit', id, '-c', 'cookie is sid', '-i', 'read it', '--json'], AGENT));
    const byReview = startWait(dir, ['--reviewed', sub.review.id, '--timeout', '30'], AGENT);
    const byWork = startWait(dir, ['--reviewed', id, '--timeout', '30'], AGENT);
    await sleep(800);
    expect(byWork.pending()).toBe(true);
    expect(tackRaw(dir, ['review', id, 'approve'], HUMAN).status).toBe(0);
    for (const r of [await byWork.result, await byReview.result]) {
      expect(r.status).toBe(0);
      expect(json(r)).toMatchObject({ held: 'reviewed', detail: { verdict: 'approved' } });
      expect(json(r).ticket.id).toBe(id);
    }
  });

  it('--ready returns when work for me appears', async () => {
    const dir = store();
    const w = startWait(dir, ['--ready', '--for', 'agent', '--timeout', '30'], AGENT);
    await sleep(1000);
    tack(dir, 'create', 'For humans only'); // not marked for agents: keeps waiting
    await sleep(1000);
    expect(w.pending()).toBe(true);
    const id = tackJson(dir, 'create', 'For an agent', '--audience', 'agent').id;
    const r = json(await w.result);
    expect(r).toMatchObject({ held: 'ready', timedOut: false });
    expect(r.detail.tickets.map((t: { id: string }) => t.id)).toEqual([id]);
  });

  it('sees a change made in another clone once --sync fetches it', async () => {
    const { clone } = remoteWithStore(track);
    const a = clone();
    const b = clone();
    const id = tackJson(a, 'create', 'Shared work').id;
    tack(a, 'sync');
    tack(b, 'sync');
    const w = startWait(a, [id, '--category', 'completed', '--sync', '--timeout', '60']);
    await sleep(1000);
    tack(b, 'close', id);
    tack(b, 'sync');
    const r = await w.result;
    expect(r.status).toBe(0);
    const ans = json(r);
    expect(ans).toMatchObject({ held: 'category', syncError: null });
    expect(ans.syncs).toBeGreaterThanOrEqual(2); // one at the start, one that brought the close
  });

  it('refuses hostile input clearly and changes nothing', () => {
    const dir = store();
    const id = tackJson(dir, 'create', 'Target').id;
    const before = revParse(dir, 'tack');
    const fail = (...args: string[]) => tackFail(dir, 'wait', ...args);
    expect(fail('zz-nothing', '--state', 'done')).toMatchObject({
      status: 3,
      error: { code: 'not_found' },
    });
    const badState = fail(id, '--state', 'finished; rm -rf /');
    expect(badState.status).toBe(2);
    expect(badState.error.message).toMatch(/unknown state .*expected one of: .*done/);
    expect(fail(id, '--category', 'nope').status).toBe(2);
    expect(fail(id).error.message).toContain('needs --state S or --category C');
    expect(fail('--state', 'done').error.message).toContain('need a ticket ID');
    expect(fail().error.message).toContain('tack wait needs a condition');
    expect(fail('--answered', id).error.message).toContain('has no question to wait for');
    expect(fail('--reviewed', id).error.message).toContain('no open review and no verdict');
    expect(fail('--for', 'agent', id, '--state', 'done').error.message).toContain('--for goes with --ready');
    for (const t of ['-5', 'abc', '1e9', 'Infinity', '5 years', '']) {
      const f = fail(id, '--state', 'done', `--timeout=${t}`);
      expect(f.status, t).toBe(2);
      expect(f.error.code, t).toBe('invalid_input');
    }
    const huge = fail(id, '--state', 'done', '--timeout', '86401');
    expect(huge.error.message).toContain('over the maximum of 24h');
    expect(fail(id, '--state', 'done', '--timeout', '2d').error.message).toContain('over the maximum');
    expect(revParse(dir, 'tack')).toBe(before);
  });
});

describe('wake rules (on.wake.* hooks)', () => {
  it('wakes the asker, the human owner of submitted work, and the owner of a parent whose child is parked or done', () => {
    const dir = store();
    const out = mkdtempSync(join(tmpdir(), 'tack-wake-'));
    track(() => rmSync(out, { recursive: true, force: true }));
    tack(dir, 'config', 'hooks.wait', 'true');
    tack(dir, 'config', 'on.wake.*', `cat >> ${out}/wakes.jsonl; echo >> ${out}/wakes.jsonl`);
    const epic = tackJson(dir, 'create', 'Accounts', '-t', 'epic', '--assignee', 'Bob').id;
    const task = tackJson(dir, 'create', 'Login', '--parent', epic, '--audience', 'agent').id;
    const run = (env: Record<string, string>, ...args: string[]) => {
      const r = tackRaw(dir, [...args, '--json'], env);
      if (r.status !== 0) throw new Error(`tack ${args.join(' ')}: ${r.stderr}`);
      return JSON.parse(r.stdout);
    };
    run(AGENT, 'claim', task);
    run(AGENT, 'ask', task, 'Which cookie?');
    run(HUMAN, 'answer', task, 'sid');
    const review = run(AGENT, 'submit', task, '-c', 'works', '-i', 'try it').review.id;
    run(HUMAN, 'review', task, 'approve');
    const wakes = readFileSync(join(out, 'wakes.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .flatMap((l) => JSON.parse(l).wake);
    expect(wakes).toEqual([
      { why: 'child-blocked', who: 'Bob', ticket: epic },
      { why: 'answered', who: 'agent-1', ticket: task },
      // The work's owner: the user who created it (its `owner` field), not the git author.
      { why: 'submitted', who: 'tester', ticket: review },
      { why: 'child-done', who: 'Bob', ticket: epic },
    ]);
  });
});

describe('tack wait over REST and MCP', () => {
  it('REST: a wait is cut to the request deadline, answers without blocking other requests, and wakes on a change', async () => {
    const dir = store();
    const id = tackJson(dir, 'create', 'Served').id;
    const srv = await startServe(dir, ['--request-timeout', '3s']);
    track(() => void srv.stop());
    const get = (path: string) =>
      fetch(`${srv.url}${path}`).then(async (r) => ({ status: r.status, json: await r.json() }));
    // Asked for an hour, cut to 2 s (a second under the 3 s deadline): an answer, not a 504.
    const cut = await get(`/api/wait?id=${id}&state=done&timeout=3600`);
    expect(cut.status).toBe(200);
    expect(cut.json).toMatchObject({ timedOut: true, capped: true, timeoutMs: 2000 });
    expect(cut.json.message).toContain('call wait again');

    const pending = get(`/api/wait?id=${id}&state=in-progress&timeout=60`);
    const t0 = Date.now();
    const list = await get('/api/list');
    expect(list.status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(5000); // far under the 60 s wait: the waiting request holds no event loop
    tack(dir, 'update', id, '--status', 'in-progress');
    const woke = await pending;
    expect(woke.status).toBe(200);
    expect(woke.json).toMatchObject({ held: 'state', timedOut: false });
    // A wait that fetches is POST only, and runs in a child (git would block the loop):
    // here there is no remote, which the answer says while the wait goes on.
    expect((await get(`/api/wait?id=${id}&state=done&timeout=1&sync=true`)).status).toBe(400);
    const posted = await fetch(`${srv.url}/api/wait`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id, state: 'done', timeout: 1, sync: true }),
    });
    expect(posted.status).toBe(200);
    const synced = (await posted.json()) as { timedOut: boolean; syncs: number; syncError: string | null };
    expect(synced).toMatchObject({ timedOut: true, syncs: 1 });
    expect(synced.syncError).toMatch(/remote/);
    // A bad input is a 400 with the same message as the CLI's.
    const bad = await get(`/api/wait?id=${id}&state=done&timeout=-1`);
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('--timeout expects seconds');
  });

  it('MCP: the wait tool wakes on a change while other calls go on', async () => {
    const dir = store();
    const id = tackJson(dir, 'create', 'Over MCP').id;
    const client = await connect(dir, AGENT.TACK_USER, AGENT);
    const call = async (name: string, args: Record<string, unknown>) => {
      const r = (await client.callTool({ name, arguments: args })) as {
        content: Array<{ text: string }>;
        isError?: boolean;
      };
      return { isError: !!r.isError, value: JSON.parse(r.content[0].text) };
    };
    const timed = await call('wait', { id: id, state: 'done', timeout: 1 });
    expect(timed.value).toMatchObject({ timedOut: true, held: null });
    const pending = call('wait', { id: id, state: 'in-progress', timeout: 30 });
    const shown = await call('show', { id }); // answered while the wait is pending
    expect(shown.value.status).toBe('todo');
    tackRaw(dir, ['update', id, '--status', 'in-progress']);
    expect((await pending).value).toMatchObject({ held: 'state', timedOut: false });
    // Nothing is marked for agents: a single test, no wait.
    expect((await call('wait', { ready: true, for: 'agent', timeout: 0 })).value).toMatchObject({ timedOut: true });
    const free = tackJson(dir, 'create', 'Free work').id;
    const ready = (await call('wait', { ready: true, timeout: 0 })).value;
    expect(ready).toMatchObject({ held: 'ready', ticket: { id: free } });
    const bad = await call('wait', { id: id, state: 'done', timeout: 1e9 });
    expect(bad.isError).toBe(true);
    expect(bad.value.error.code).toBe('invalid_input');
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });
});
