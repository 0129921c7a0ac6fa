// Speed of `tack serve` (issue: the live server). Usage, after `npm run build`:
//   node bench/server.mjs [--tickets N] [--requests N] [--changes N] [--json]
// Read endpoints: p50/p99 over keep-alive HTTP at N tickets (goal p50 ≤ 2 ms).
// Change → SSE event: through the API, through the CLI in another process (goal ≤ 300 ms),
// and a vim-style rename-save of a ticket file in an inline store (goal ≤ 300 ms).
import { spawn } from 'node:child_process';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { benchEnv, createBenchStore, tackBuild } from './benchStore.mjs';

const { bin } = tackBuild();
const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : def);
const N = opt('tickets', 10000);
const REQUESTS = opt('requests', 500);
const CHANGES = opt('changes', 20);
const asJson = args.includes('--json');
const log = (...a) => {
  if (!asJson) console.error(...a);
};
const env = benchEnv;
const now = () => Number(process.hrtime.bigint()) / 1e6;
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function startServe(dir, extra = []) {
  const proc = spawn(process.execPath, [bin, 'serve', '--port', '0', ...extra], { cwd: dir, env });
  return new Promise((res, rej) => {
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) res({ url: m[1], proc });
    });
    proc.on('exit', (c) => rej(new Error(`serve exited ${c}`)));
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
function get(url, path, method = 'GET', body) {
  return new Promise((res, rej) => {
    const u = new URL(url);
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path,
        method,
        agent,
        headers: body ? { 'content-type': 'application/json' } : {},
      },
      (r) => {
        let t = '';
        r.setEncoding('utf8')
          .on('data', (d) => (t += d))
          .on('end', () => (r.statusCode === 200 ? res(t) : rej(new Error(`${path}: ${r.statusCode} ${t}`))));
      },
    );
    req.on('error', rej);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

/** An SSE client: resolves `next(pred)` with the arrival time of the first matching event. */
function events(url) {
  const waiters = [];
  const u = new URL(url);
  return new Promise((res) => {
    const req = request({ host: u.hostname, port: u.port, path: '/api/events' }, (r) => {
      let buf = '';
      r.setEncoding('utf8').on('data', (d) => {
        buf += d;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          const e = JSON.parse(data.slice(6));
          const t = now();
          for (const w of [...waiters])
            if (w.pred(e)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(t);
            }
          if (e.last_id !== undefined)
            res({
              next: (pred) => new Promise((resolve) => waiters.push({ pred, resolve })),
              close: () => req.destroy(),
            });
        }
      });
    });
    req.end();
  });
}

function runCli(dir, argv) {
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, [bin, ...argv], { cwd: dir, env, stdio: 'ignore' });
    p.on('exit', (c) => (c === 0 ? res(now()) : rej(new Error(`tack ${argv.join(' ')} exited ${c}`))));
  });
}

async function main() {
  const results = {
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
    node: process.version,
    tickets: N,
    requests: REQUESTS,
  };
  log(`creating ${N} tickets (branch mode)…`);
  const branch = await createBenchStore({ tickets: N, prefix: 'tack-bench-serve-' });
  const srv = await startServe(branch.dir);
  try {
    const ids = JSON.parse(await get(srv.url, '/api/tickets?limit=200')).map((t) => t.id);
    const cases = {
      'GET /api/tickets?limit=50': '/api/tickets?limit=50',
      'GET /api/tickets/:id': `/api/tickets/${ids[17]}?history=false`,
      'GET /api/ready?limit=20': '/api/ready?limit=20',
      'GET /api/search?words=parser&limit=20': '/api/search?words=parser&limit=20',
      'GET /api/stats': '/api/stats',
    };
    results.reads = {};
    for (const [name, path] of Object.entries(cases)) {
      for (let i = 0; i < 50; i++) await get(srv.url, path);
      const times = [];
      for (let i = 0; i < REQUESTS; i++) {
        const t0 = now();
        await get(srv.url, path);
        times.push(now() - t0);
      }
      results.reads[name] = { p50: pct(times, 0.5), p99: pct(times, 0.99) };
      log(`${name.padEnd(40)} p50 ${pct(times, 0.5).toFixed(2)} ms  p99 ${pct(times, 0.99).toFixed(2)} ms`);
    }
    const sse = await events(srv.url);
    const api = [];
    const cli = [];
    for (let i = 0; i < CHANGES; i++) {
      const id = ids[i];
      const t0 = now();
      const seen = sse.next((e) => e.ticket === id && e.type === 'updated' && e.fields.includes('title'));
      await get(srv.url, `/api/tickets/${id}`, 'PATCH', { title: `api change ${i}` });
      api.push((await seen) - t0);
      const seenCli = sse.next((e) => e.ticket === id && e.type === 'updated' && e.fields.includes('title'));
      const c0 = now();
      const exited = await runCli(branch.dir, ['update', id, '--title', `cli change ${i}`]);
      const at = await seenCli;
      cli.push({ fromStart: at - c0, afterExit: Math.max(0, at - exited) });
    }
    sse.close();
    results.api_to_event = { p50: pct(api, 0.5), max: Math.max(...api) };
    results.cli_to_event = {
      p50_after_exit: pct(
        cli.map((c) => c.afterExit),
        0.5,
      ),
      max_after_exit: Math.max(...cli.map((c) => c.afterExit)),
      p50_from_spawn: pct(
        cli.map((c) => c.fromStart),
        0.5,
      ),
    };
    log(
      `API PATCH → SSE event: p50 ${results.api_to_event.p50.toFixed(1)} ms, max ${results.api_to_event.max.toFixed(1)} ms`,
    );
    log(
      `CLI update → SSE event: p50 ${results.cli_to_event.p50_after_exit.toFixed(1)} ms after the CLI exited (max ${results.cli_to_event.max_after_exit.toFixed(1)}), ${results.cli_to_event.p50_from_spawn.toFixed(1)} ms from spawn`,
    );
  } finally {
    srv.proc.kill('SIGTERM');
    rmSync(branch.dir, { recursive: true, force: true });
  }

  log(`creating ${N} tickets (inline mode)…`);
  const inline = await createBenchStore({ tickets: N, prefix: 'tack-bench-serve-', inline: true });
  const isrv = await startServe(inline.dir, ['--idle', '1s']);
  try {
    const sse = await events(isrv.url);
    const ids = JSON.parse(await get(isrv.url, '/api/tickets?limit=50')).map((t) => t.id);
    const saves = [];
    for (let i = 0; i < Math.min(CHANGES, 10); i++) {
      const file = join(inline.dir, '.tack', 'tickets', `${ids[i]}.md`);
      const text = readFileSync(file, 'utf8').replace(/^title: .*$/m, `title: saved in vim ${i}`);
      const seen = sse.next((e) => e.ticket === ids[i] && e.uncommitted && e.fields.includes('title'));
      const t0 = now();
      writeFileSync(`${file}.tmp`, text);
      renameSync(`${file}.tmp`, file);
      saves.push((await seen) - t0);
      await sleep(50);
    }
    const committed = sse.next((e) => e.commit && e.op === 'edit');
    const c0 = now();
    await committed;
    results.vim_save_to_event = { p50: pct(saves, 0.5), max: Math.max(...saves), commit_after_ms: now() - c0 };
    log(
      `vim rename-save → SSE event (inline, ${N} files): p50 ${pct(saves, 0.5).toFixed(1)} ms, max ${Math.max(...saves).toFixed(1)} ms; the commit followed ${results.vim_save_to_event.commit_after_ms.toFixed(0)} ms after the last save's event (idle 1 s)`,
    );
    sse.close();
  } finally {
    isrv.proc.kill('SIGTERM');
    rmSync(inline.dir, { recursive: true, force: true });
  }
  if (asJson) console.log(JSON.stringify(results, null, 2));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
