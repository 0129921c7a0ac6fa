import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { git, TACK_BIN, tackFail, tackJson, tempStore, testEnv, trackCleanups, waitFor } from './helpers.js';
import { connect } from './mcpClient.js';
import { firstRead, openEvents, startServe, type ServerProc } from './serverHarness.js';
import { RUNAWAY } from './processes.js';

/* Bounded work (issue 13): a runaway query is stopped, not waited for, on every surface. */

const track = trackCleanups();
const servers: ServerProc[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.stop();
});

function store(): string {
  const s = tempStore();
  track(s.cleanup);
  tackJson(s.dir, 'create', 'Alpha');
  return s.dir;
}

describe('bounded SQL', () => {
  it('tack sql stops a runaway query at --timeout with a timeout error, and at git config tack.sql.timeout', () => {
    const dir = store();
    const t0 = Date.now();
    const f = tackFail(dir, 'sql', '--timeout', '1s', RUNAWAY);
    expect(f.error.code).toBe('timeout');
    expect(f.error.message).toMatch(/longer than 1s/);
    // Generous: the query itself would never end; start-up under load is the rest.
    expect(Date.now() - t0).toBeLessThan(15_000);
    git(dir, 'config', 'tack.sql.timeout', '700ms');
    expect(tackFail(dir, 'sql', RUNAWAY).error.message).toMatch(/longer than 700ms/);
    // The limit counts the child's start too, which a loaded machine can take 700 ms for.
    git(dir, 'config', '--unset', 'tack.sql.timeout');
    // A normal query still answers, through the same child process.
    expect(tackJson(dir, 'sql', 'SELECT title FROM tickets')).toEqual([{ title: 'Alpha' }]);
    expect(tackFail(dir, 'sql', '--timeout', 'soon', 'SELECT 1').error.code).toBe('invalid_input');
    expect(tackFail(dir, 'sql', 'DELETE FROM tickets').error.code).toBe('read_only');
  });

  it('GET /api/sql answers 504 timeout for a runaway query, and the server keeps answering', async () => {
    const dir = store();
    const s = await startServe(dir);
    servers.push(s);
    await firstRead(s);
    let stopped = false;
    const slow = fetch(`${s.url}/api/sql?query=${encodeURIComponent(RUNAWAY)}&timeout=4s`).then((r) => {
      stopped = true;
      return r;
    });
    // While it runs, another request is answered: the query is not on the event loop, so the
    // read comes before the query's timeout however slow the machine.
    const list = await fetch(`${s.url}/api/tickets`);
    expect(list.status).toBe(200);
    expect(stopped, 'the read waited for the runaway query').toBe(false);
    const res = await slow;
    expect(res.status).toBe(504);
    expect((await res.json()).error.code).toBe('timeout');
    const next = await fetch(`${s.url}/api/sql?query=${encodeURIComponent('SELECT title FROM tickets')}`);
    expect(await next.json()).toEqual([{ title: 'Alpha' }]);
  });

  it('a request past --request-timeout gets a timeout error, its query is killed, and the server keeps serving', async () => {
    const dir = store();
    const s = await startServe(dir, ['--request-timeout', '1500ms']);
    servers.push(s);
    const t0 = Date.now();
    const res = await fetch(`${s.url}/api/sql?query=${encodeURIComponent(RUNAWAY)}&timeout=60s`);
    expect(res.status).toBe(504);
    const body = await res.json();
    expect(body.error.code).toBe('timeout');
    expect(body.error.message).toMatch(/longer than 1500ms/);
    expect(Date.now() - t0).toBeLessThan(10_000);
    // The query's child process was killed with the request, not left running for 60 s.
    const children = () => {
      try {
        return execFileSync('ps', ['-o', 'args=', '--ppid', String(s.proc.pid)], { encoding: 'utf8' })
          .split('\n')
          .filter((l) => l.includes('queryProcess'));
      } catch {
        return []; // ps exits 1 when the server has no children at all
      }
    };
    await waitFor('the query process to be gone', () => children().length === 0, 5000);
    expect((await fetch(`${s.url}/api/tickets`)).status).toBe(200);
    // One line in the log, no stack trace.
    expect(s.stderr()).toMatch(/GET \/api\/sql: the request took longer than 1500ms/);
    expect(s.stderr()).not.toMatch(/\n\s+at /);
  });

  it('the MCP sql tool stops a runaway query', async () => {
    const dir = store();
    const client = await connect(dir, 'tester');
    try {
      const r = (await client.callTool({ name: 'sql', arguments: { query: RUNAWAY, timeout: '1s' } })) as {
        isError?: boolean;
        content: Array<{ text: string }>;
      };
      expect(r.isError).toBe(true);
      expect(JSON.parse(r.content[0].text).error.code).toBe('timeout');
      const ok = (await client.callTool({
        name: 'sql',
        arguments: { query: 'SELECT count(*) AS n FROM tickets' },
      })) as { content: Array<{ text: string }> };
      expect(JSON.parse(ok.content[0].text)).toEqual([{ n: 1 }]);
    } finally {
      await client.close();
    }
  });
});

describe('stops when told', () => {
  it('tack serve exits on SIGTERM within 2 s with an SSE client attached, a runaway query and a slow request in flight', async () => {
    const dir = store();
    const s = await startServe(dir, ['--request-timeout', '60s']);
    servers.push(s);
    const sse = await openEvents(s.url);
    await sse.waitFor((e) => e.event === 'ready');
    const query = fetch(`${s.url}/api/sql?query=${encodeURIComponent(RUNAWAY)}&timeout=60s`).catch(() => null);
    await new Promise((r) => setTimeout(r, 500));
    const exited = new Promise<number>((resolve) => s.proc.once('exit', () => resolve(Date.now())));
    const t0 = Date.now();
    s.proc.kill('SIGTERM');
    const ms = (await exited) - t0;
    expect(ms).toBeLessThan(2000 + 1000); // the promise is 2 s; a second of slack for a loaded machine
    sse.close();
    await query;
    expect(s.stderr()).not.toMatch(/\n\s+at /);
  });

  // Started as a user would; resolves with how long it took to exit after SIGTERM.
  async function stopTime(args: string[], dir: string, ready: (out: string) => boolean, stdin = ''): Promise<number> {
    const proc = spawn(process.execPath, [TACK_BIN, ...args], { cwd: dir, env: testEnv() });
    let out = '';
    let err = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    if (stdin) proc.stdin.write(stdin); // the stdin stays open: an MCP client that is still there
    await waitFor(`${args[0]} to start (${out}${err})`, () => ready(out), 15_000);
    const exited = new Promise<string>((resolve) => proc.once('exit', (code, signal) => resolve(`${code}/${signal}`)));
    const t0 = Date.now();
    proc.kill('SIGTERM');
    const how = await exited;
    const ms = Date.now() - t0;
    // Exit code and signal together: a crash at exit shows as null/SIGSEGV or null/SIGABRT.
    expect(how, err).toBe('0/null');
    expect(err).not.toMatch(/\n\s+at /);
    return ms;
  }

  it('tack watch exits on SIGTERM within 2 s', async () => {
    const dir = store();
    execFileSync(process.execPath, [TACK_BIN, 'mount'], { cwd: dir, env: testEnv() });
    expect(await stopTime(['watch'], dir, (o) => /watching /.test(o))).toBeLessThan(2000 + 1000);
  });

  it('tack mcp exits on SIGTERM within 2 s with its client still connected', async () => {
    const dir = store();
    const init = `${JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } },
    })}\n`;
    expect(await stopTime(['mcp'], dir, (o) => o.includes('"id":1'), init)).toBeLessThan(2000 + 1000);
  });
});
