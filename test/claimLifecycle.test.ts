import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { git, revParse, tackRaw, trackCleanups } from './helpers.js';
import { startServe } from './serverHarness.js';
import { tackEnv, tackEnvJson } from './storeFiles.js';
import { type CallResult, closeClients, connect } from './mcpClient.js';
import { remoteWithStore } from './syncHelpers.js';

/*
 * The claim lifecycle across clones of one bare remote: a claim ends with the work
 * (submit), an expired one puts its ticket back where `ready` finds it, `release` can
 * unassign from MCP too, and an unreachable remote points at --local.
 */

const track = trackCleanups();
const T0 = '2026-11-21T10:00:00Z';
const LATER = '2026-11-21T12:30:00Z'; // past the default 2h lease
const as = (user: string, now = T0) => ({ TACK_USER: user, TACK_NOW: now });

function failJson(dir: string, env: Record<string, string>, ...args: string[]): { code: string; message: string } {
  const r = tackRaw(dir, [...args, '--json'], env);
  if (r.status === 0) throw new Error(`tack ${args.join(' ')} was expected to fail`);
  const line = r.stderr.split('\n').find((l) => l.startsWith('{"error"'));
  return JSON.parse(line!).error;
}

function leaseRefs(dir: string): string {
  return git(dir, 'for-each-ref', '--format=%(refname)', 'refs/tack/claims').trim();
}

/** Clone a (the first store) and b, both on a bare remote that has the store branch. */
function clones(): { a: string; b: string; bare: string } {
  const { remote: bare, first: a, clone } = remoteWithStore(track, { code: true });
  return { a, b: clone(), bare };
}

afterEach(closeClients);

/** An MCP session: each call answers whether it failed, its JSON, and the notes after it. */
async function mcp(dir: string, extra: Record<string, string>) {
  const client = await connect(dir, extra.TACK_USER, extra);
  return async (name: string, args: Record<string, unknown>) => {
    const r = (await client.callTool({ name, arguments: args })) as CallResult;
    return { error: r.isError === true, value: JSON.parse(r.content[0].text), notes: r.content.slice(1) };
  };
}

describe('claim lifecycle across clones', () => {
  it('submit releases the claim, here and on the remote', () => {
    const { a, bare } = clones();
    const x = tackEnvJson(a, as('human'), 'create', 'X').id;
    tackEnv(a, as('agent-a'), 'claim', x);
    expect(leaseRefs(bare)).toContain(x);
    const sub = tackEnvJson(a, as('agent-a'), 'submit', x, '-c', 'works', '-i', 'npm test');
    expect(sub.released).toEqual([x]);
    // The lease holds nothing any more, here and on the remote: it says the work was handed
    // back in the submit commit (so a clone that has not seen that commit cannot claim it).
    for (const dir of [a, bare])
      expect(git(dir, 'log', '-1', '--format=%B', `refs/tack/claims/${x}`)).toContain(`"closed_in":"${sub.commit}"`);
    expect(tackEnvJson(a, as('agent-a'), 'claims')).toEqual([]);
  });

  it('an expired claim puts its ticket back in ready in another clone, and the next claim takes it over', () => {
    const { a, b, bare } = clones();
    const x = tackEnvJson(a, as('human'), 'create', 'X', '--priority', 'high').id;
    const y = tackEnvJson(a, as('human'), 'create', 'Y').id;
    tackEnv(a, as('agent-a'), 'claim', x);
    tackEnv(a, as('agent-a'), 'sync');
    tackEnvJson(b, as('agent-b'), 'sync');
    expect(tackEnvJson(b, as('agent-b'), 'show', x)).toMatchObject({ status: 'in-progress', assignee: 'agent-a' });
    // While agent-a's lease is live, b's ready does not offer x.
    expect(tackEnvJson(b, as('agent-b'), 'ready').map((t: any) => t.id)).toEqual([y]);
    // agent-a went away: after the lease, x is ready again, and says whose claim expired.
    const ready = tackEnvJson(b, as('agent-b', LATER), 'ready');
    expect(ready.map((t: any) => t.id)).toEqual([x, y]);
    expect(ready[0].expired_claim).toEqual({ owner: 'agent-a', expires: '2026-11-21T12:00:00Z' });
    expect(tackEnv(b, as('agent-b', LATER), 'ready')).toContain('claim of agent-a expired at 2026-11-21T12:00:00Z');
    // `claim next` takes it over: the commit names the expired claim.
    const taken = tackEnvJson(b, as('agent-b', LATER), 'claim', 'next');
    expect(taken.ticket).toMatchObject({ id: x, assignee: 'agent-b', status: 'in-progress' });
    expect(taken.expired_claim).toEqual({ owner: 'agent-a', expires: '2026-11-21T12:00:00Z' });
    expect(git(b, 'log', '-1', '--format=%s', 'tack')).toContain(
      'the claim of agent-a expired at 2026-11-21T12:00:00Z',
    );
    expect(JSON.parse(git(bare, 'log', '-1', '--format=%b', `refs/tack/claims/${x}`).trim()).owner).toBe('agent-b');
    expect(tackEnvJson(b, as('agent-c', LATER), 'ready').map((t: any) => t.id)).toEqual([y]);
  });

  it('a claim in review is not offered again when it expires', () => {
    const { a } = clones();
    const x = tackEnvJson(a, as('human'), 'create', 'X').id;
    // A lease left from before submit released claims: taken, then the ticket moved to review by hand.
    tackEnv(a, as('agent-a'), 'claim', x, '--local');
    tackEnv(a, as('agent-a'), 'update', x, '--status', 'in-review');
    expect(tackEnvJson(a, as('agent-b', LATER), 'ready').map((t: any) => t.id)).toEqual([]);
  });

  it('an unreachable remote: claim fails naming --local; --local and MCP local:true claim here only, said so', async () => {
    const { a } = clones();
    const x = tackEnvJson(a, as('human'), 'create', 'X').id;
    const y = tackEnvJson(a, as('human'), 'create', 'Y').id;
    git(a, 'remote', 'set-url', 'origin', join(tmpdir(), 'tack-no-such-remote.git'));
    const head = revParse(a, 'tack');
    const e = failJson(a, as('agent-a'), 'claim', x);
    expect(e.code).toBe('git_failed');
    expect(e.message).toContain('--local');
    expect(e.message).toContain('local: true');
    expect(revParse(a, 'tack')).toBe(head);
    expect(failJson(a, as('agent-a'), 'claim', 'next').message).toContain('--local');

    const local = tackEnvJson(a, as('agent-a'), 'claim', x, '--local');
    expect(local).toMatchObject({ local: true, remote: null });
    expect(local.message).toContain('local: in this clone only');

    const call = await mcp(a, { TACK_USER: 'agent-b' });
    const refused = await call('claim', { id: y });
    expect(refused.error).toBe(true);
    expect(refused.value.error.message).toContain('local: true');
    const ok = await call('claim', { id: y, local: true });
    expect(ok.error).toBe(false);
    expect(ok.value).toMatchObject({ local: true, ticket: { id: y, assignee: 'agent-b' } });
  });

  it('a local claim survives fetching the remote claims (sync, claim next)', () => {
    const { a } = clones();
    const x = tackEnvJson(a, as('human'), 'create', 'X').id;
    tackEnvJson(a, as('human'), 'create', 'Y');
    tackEnv(a, as('agent-a'), 'claim', x, '--local');
    expect(tackEnvJson(a, as('agent-a'), 'sync').claims).toEqual({ fetched: true });
    expect(leaseRefs(a)).toContain(x);
    tackEnv(a, as('agent-b'), 'claim', 'next');
    expect(leaseRefs(a)).toContain(x);
  });

  it('release unassigns on MCP (unassign: true) and over the CLI', async () => {
    const { a, bare } = clones();
    const x = tackEnvJson(a, as('human'), 'create', 'X').id;
    const call = await mcp(a, { TACK_USER: 'agent-a' });
    expect((await call('claim', { id: x })).value.remote).toBe('origin');
    const r = await call('release', { id: x, unassign: true });
    expect(r.error).toBe(false);
    expect(r.value.ticket).toMatchObject({ assignee: null, status: 'todo' });
    expect(leaseRefs(bare)).toBe('');
    expect(tackEnvJson(a, as('agent-b'), 'ready').map((t: any) => t.id)).toEqual([x]);
  });

  it("MCP sync publishes an agent's ask, so the human sees it after their sync", async () => {
    const { a, b } = clones();
    const x = tackEnvJson(a, as('human'), 'create', 'X').id;
    tackEnv(a, as('human'), 'sync');
    tackEnv(b, as('human'), 'sync');
    const call = await mcp(a, { TACK_USER: 'agent-a' });
    expect((await call('ask', { id: x, question: 'Which cookie?' })).error).toBe(false);
    const synced = await call('sync', {});
    expect(synced.error).toBe(false);
    expect(synced.value).toMatchObject({ remote: 'origin', pushed: 1, ahead: 0, conflict_files: [] });
    expect(synced.value.conflictFiles).toBeUndefined();
    tackEnv(b, as('human'), 'sync');
    expect(tackEnvJson(b, as('human'), 'show', x).status).toBe('needs-context');
  });

  it('prime lists a held ticket once with its expiry, and flags an answer and a rejection', () => {
    const { a } = clones();
    const held = tackEnvJson(a, as('human'), 'create', 'Held').id;
    const asked = tackEnvJson(a, as('human'), 'create', 'Asked').id;
    const sent = tackEnvJson(a, as('human'), 'create', 'Sent').id;
    const agent = as('agent-a');
    tackEnv(a, agent, 'claim', held, '--local');
    // Claimed, asked, answered: back to todo and still held — once in prime, not also under Ready.
    tackEnv(a, agent, 'claim', asked, '--local');
    tackEnv(a, as('agent-a', '2026-11-21T10:01:00Z'), 'ask', asked, 'Which cookie?');
    tackEnv(a, as('human', '2026-11-21T10:02:00Z'), 'answer', asked, 'sid');
    tackEnv(a, agent, 'claim', sent, '--local');
    tackEnv(a, as('agent-a', '2026-11-21T10:03:00Z'), 'submit', sent, '-c', 'c', '-i', 'i');
    tackEnv(a, as('human', '2026-11-21T10:04:00Z'), 'review', sent, 'reject', 'add a test');
    const p = tackEnvJson(a, agent, 'prime');
    const text: string = p.text;
    const count = (id: string) => text.split('\n').filter((l) => l.includes(id.slice(0, 7))).length;
    expect(count(held)).toBe(1);
    expect(count(asked)).toBe(1);
    expect(count(sent)).toBe(1);
    expect(text).toMatch(
      new RegExp(`${held.slice(0, 7)}\\S* \\[in-progress\\] Held \\(claim until 2026-11-21T12:00:00Z\\)`),
    );
    expect(text).toContain('## Answered or rejected');
    expect(p.responses.map((r: any) => r.note).sort()).toEqual(['answered by human', 'rejected by human']);
    expect(text).toContain('tack sync');
    expect(text).toContain('agents.auto_sync');
  });

  it('agents.auto_sync publishes each write and claim, over the CLI and MCP', async () => {
    const { a, b } = clones();
    expect(tackEnv(a, as('human'), 'config', 'agents.auto_sync', 'true')).toContain('agents.auto_sync = true');
    const created = tackEnvJson(a, as('human'), 'create', 'X');
    expect(created.auto_sync).toMatchObject({ ok: true, pushed: 1 });
    const call = await mcp(a, { TACK_USER: 'agent-a' });
    const claimed = await call('ready', { claim: true });
    expect(claimed.value.auto_sync).toMatchObject({ ok: true });
    const asked = await call('ask', { id: created.id, question: 'Which cookie?' });
    expect(asked.value.auto_sync).toMatchObject({ ok: true });
    // The human never saw the agent sync, yet the ask is there after their own sync.
    tackEnv(b, as('human'), 'sync');
    expect(tackEnvJson(b, as('human'), 'show', created.id)).toMatchObject({ status: 'needs-context' });
    // Reads are not synced.
    expect(tackEnvJson(a, as('human'), 'show', created.id).auto_sync).toBeUndefined();
    // REST writes too.
    const server = await startServe(a, [], { TACK_USER: 'agent-b' });
    try {
      const res = await fetch(`${server.url}/api/create`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(server.token ? { authorization: `Bearer ${server.token}` } : {}),
        },
        body: JSON.stringify({ title: 'From the web' }),
      });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.auto_sync).toMatchObject({ ok: true, pushed: 1 });
      tackEnv(b, as('human'), 'sync');
      expect(tackEnvJson(b, as('human'), 'show', body.id).title).toBe('From the web');
    } finally {
      await server.stop();
    }
  });

  it('an auto-sync that hangs is cut off at agents.sync_timeout; the write stands and says so', () => {
    const { a } = clones();
    tackEnv(a, as('human'), 'config', 'agents.auto_sync', 'on');
    tackEnv(a, as('human'), 'config', 'agents.sync_timeout', '2s');
    expect(failJson(a, as('human'), 'config', 'agents.sync_timeout', 'soon').message).toContain('agents.sync_timeout');
    git(a, 'config', 'remote.origin.uploadpack', 'sleep 30; git-upload-pack');
    const started = Date.now();
    const r = tackRaw(a, ['create', 'Y', '--json'], as('human'));
    const took = Date.now() - started;
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.auto_sync).toMatchObject({ ok: false });
    expect(out.auto_sync.message).toContain('within 2s');
    expect(took).toBeLessThan(15_000);
    expect(tackEnvJson(a, as('human'), 'show', out.id).title).toBe('Y');
    const human = tackRaw(a, ['create', 'Z'], as('human'));
    expect(human.status).toBe(0);
    expect(human.stderr).toContain('warning: sync did not finish within 2s');
  });
});
