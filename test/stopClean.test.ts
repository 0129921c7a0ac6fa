import { execFileSync, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { git, tackJson, tempStore, trackCleanups, waitFor } from './helpers.js';
import { startMcp } from './mcpProcess.js';
import { slowGit } from './slowGit.js';
import { alive, RUNAWAY } from './processes.js';
import { openEvents, startServe, type ServerProc } from './serverHarness.js';
import { remoteWithStore } from './syncHelpers.js';

/*
 * Stops when told (issue 13): SIGTERM ends `tack serve` and `tack mcp` within 2 s whatever is
 * in flight, and leaves no process of theirs behind (query child, write worker, git).
 */

const track = trackCleanups();
const servers: ServerProc[] = [];
const procs: ChildProcess[] = [];
const leftovers: number[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.stop();
  for (const p of procs.splice(0)) p.kill('SIGKILL');
  for (const pid of leftovers.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

/** `tack serve` on a clone whose remote's upload-pack sleeps 30 s, with a sync started. */
async function serveSyncing(): Promise<{ s: ServerProc; sync: Promise<Response | null> }> {
  const { clone } = remoteWithStore(track);
  const dir = clone();
  git(dir, 'config', 'remote.origin.uploadpack', 'sleep 30; git-upload-pack');
  const s = await startServe(dir, ['--request-timeout', '60s']);
  servers.push(s);
  const sync = fetch(`${s.url}/api/sync`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  }).catch(() => null);
  return { s, sync };
}

/** Every process under `root` now: pid and command line. */
function descendants(root: number): Array<{ pid: number; args: string }> {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m) => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] }));
  const found: Array<{ pid: number; args: string }> = [];
  const walk = (p: number) => {
    for (const r of rows.filter((x) => x.ppid === p)) {
      found.push({ pid: r.pid, args: r.args });
      walk(r.pid);
    }
  };
  walk(root);
  return found;
}

/** SIGTERM `proc` once each of `busy` shows among its descendants; resolves with ms to exit, after checking none of them is left. */
async function stopAndCheck(proc: ChildProcess, ...busy: RegExp[]): Promise<number> {
  const tree = await waitFor(
    `${busy.join(', ')} to run under the process`,
    () => {
      const d = descendants(proc.pid!);
      return busy.every((b) => d.some((p) => b.test(p.args))) ? d : null;
    },
    15_000,
  );
  leftovers.push(...tree.map((p) => p.pid));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const t0 = Date.now();
  proc.kill('SIGTERM');
  await exited;
  const ms = Date.now() - t0;
  // Killed children may take a moment to be reaped by whoever inherits them.
  await waitFor(
    `no process left behind (${tree
      .filter((p) => alive(p.pid))
      .map((p) => p.args)
      .join('; ')})`,
    () => tree.every((p) => !alive(p.pid)),
    2000,
  );
  return ms;
}

function store(): string {
  const s = tempStore();
  track(s.cleanup);
  tackJson(s.dir, 'create', 'Alpha');
  return s.dir;
}

// The promise is 2 s; a second of slack for a loaded machine.
const STOP_MS = 2000 + 1000;

describe('SIGTERM leaves nothing behind', () => {
  it('tack serve with an SSE client, a runaway /api/sql query and a write done (the write worker runs)', async () => {
    const dir = store();
    const s = await startServe(dir, ['--request-timeout', '60s']);
    servers.push(s);
    const sse = await openEvents(s.url);
    const created = await fetch(`${s.url}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Beta' }),
    });
    expect(created.ok).toBe(true);
    const query = fetch(`${s.url}/api/sql?query=${encodeURIComponent(RUNAWAY)}&timeout=60s`).catch(() => null);
    expect(await stopAndCheck(s.proc, /queryProcess/, /opProcess/)).toBeLessThan(STOP_MS);
    sse.close();
    await query;
    expect(s.stderr()).not.toMatch(/\n\s+at /);
  });

  it('tack serve with a sync in flight against a remote whose upload-pack sleeps', async () => {
    const { s, sync } = await serveSyncing();
    // The remote's sleep is running: git, its shell and the sleep are all the server's.
    expect(await stopAndCheck(s.proc, /^sleep 30/, /^git fetch/)).toBeLessThan(STOP_MS);
    await sync;
    expect(s.stderr()).not.toMatch(/\n\s+at /);
  });

  it('tack serve killed with SIGKILL mid-sync: its sync child ends, with the git it runs', async () => {
    const { s, sync } = await serveSyncing();
    const tree = await waitFor(
      'the remote to be waited on',
      () => {
        const d = descendants(s.proc.pid!);
        return d.some((p) => /^sleep 30/.test(p.args)) ? d : null;
      },
      15_000,
    );
    leftovers.push(...tree.map((p) => p.pid));
    // SIGKILL runs no clean-up: the child notices its parent is gone and ends itself.
    s.proc.kill('SIGKILL');
    await sync;
    await waitFor('every process of the killed server to end', () => tree.every((p) => !alive(p.pid)), 5000);
  });

  it('tack mcp with a sync in flight against a remote whose upload-pack sleeps: other calls answer meanwhile', async () => {
    const { clone } = remoteWithStore(track);
    const dir = clone();
    git(dir, 'config', 'remote.origin.uploadpack', 'sleep 30; git-upload-pack');
    const { proc, send, out, err } = startMcp(dir);
    procs.push(proc);
    send({ id: 2, method: 'tools/call', params: { name: 'sync', arguments: {} } });
    await waitFor(
      'the sync to reach the remote',
      () => descendants(proc.pid!).some((p) => /upload-pack/.test(p.args)),
      15_000,
    );
    // In-process, the sync's fetch held the process: nothing else was answered until it ended.
    send({ id: 3, method: 'tools/call', params: { name: 'list', arguments: {} } });
    await waitFor('the list call to be answered', () => out().includes('"id":3'), 5000);
    expect(out()).not.toContain('"id":2');
    expect(await stopAndCheck(proc, /opProcess/, /upload-pack/)).toBeLessThan(STOP_MS);
    expect(err()).not.toMatch(/\n\s+at /);
  });

  it('tack mcp with a write in flight whose git is slow: stopped within 2 s, the store whole', async () => {
    const dir = store();
    const before = git(dir, 'rev-parse', 'tack');
    const g = slowGit(track, 30);
    const { proc, send, err } = startMcp(dir, g.env);
    procs.push(proc);
    g.slow('update-ref');
    send({ id: 2, method: 'tools/call', params: { name: 'create', arguments: { title: 'Cut short' } } });
    await waitFor('the write to reach update-ref', g.started, 15_000);
    expect(await stopAndCheck(proc, /opProcess/, /^sleep 30/)).toBeLessThan(STOP_MS);
    expect(err()).not.toMatch(/\n\s+at /);
    // Killed before its ref moved: no commit, and nothing git would refuse.
    expect(git(dir, 'rev-parse', 'tack')).toBe(before);
    git(dir, 'fsck', '--strict');
    // The killed writer's lock does not hold the next write.
    expect(tackJson(dir, 'create', 'After').title).toBe('After');
  });

  it('tack mcp stopped while a write finishes within the grace: the write is answered, then it exits', async () => {
    const dir = store();
    const g = slowGit(track, 0.4);
    const { proc, send, out, err } = startMcp(dir, g.env);
    procs.push(proc);
    g.slow('update-ref');
    send({ id: 2, method: 'tools/call', params: { name: 'create', arguments: { title: 'Answered' } } });
    await waitFor('the write to reach update-ref', g.started, 15_000);
    expect(await stopAndCheck(proc, /opProcess/)).toBeLessThan(STOP_MS);
    // Landed and answered: a client that got no answer would send it again and make it twice.
    expect(tackJson(dir, 'list').map((t: { title: string }) => t.title)).toContain('Answered');
    const answer = out()
      .split('\n')
      .find((l) => l.includes('"id":2'));
    expect(answer, err()).toMatch(/Answered/);
    expect(answer).not.toMatch(/isError/);
  });

  it('tack mcp with a runaway sql tool call in flight', async () => {
    const dir = store();
    const { proc, send, err } = startMcp(dir);
    procs.push(proc);
    send({ id: 2, method: 'tools/call', params: { name: 'sql', arguments: { query: RUNAWAY, timeout: '60s' } } });
    expect(await stopAndCheck(proc, /queryProcess/)).toBeLessThan(STOP_MS);
    expect(err()).not.toMatch(/\n\s+at /);
  });
});
