// Mixed load on `tack serve` (issue 13). Usage, after `npm run build`:
//   [TACK_ROOT=/other/checkout] node bench/serverLoad.mjs [--tickets N] [--connections C] [--writes 0.3] [--seconds S] [--outside-writers K] [--json]
// C clients, each on its own keep-alive connection, loop for S seconds: with probability
// `writes` a PATCH of a random ticket's priority, else a GET of a random ticket or of a list.
// Reports read p50/p99, writes/s, and checks every acknowledged write is in git afterwards.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { benchEnv, createBenchStore, tackBuild } from './benchStore.mjs';
const root = process.env.TACK_ROOT ?? resolve(new URL('.', import.meta.url).pathname, '..'); // TACK_ROOT: another build, for A/B
const { bin } = tackBuild(root);
const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : def);
const N = opt('tickets', 10000);
const CONNECTIONS = opt('connections', 50);
const WRITES = opt('writes', 0.3);
const SECONDS = opt('seconds', 20);
// Writers in another process (a CLI, an agent, a sync child): they hold the store's writer
// lock while they commit, and the server's own writes wait for it.
const OUTSIDE = opt('outside-writers', 0);
const asJson = args.includes('--json');
const log = (...a) => {
  if (!asJson) console.error(...a);
};
const env = benchEnv;
const now = () => Number(process.hrtime.bigint()) / 1e6;
const pct = (xs, p) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] : NaN;

function startServe(dir) {
  const proc = spawn(process.execPath, [bin, 'serve', '--port', '0'], { cwd: dir, env });
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

function call(agent, url, path, method = 'GET', body) {
  return new Promise((res) => {
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
          .on('end', () => res({ status: r.statusCode, text: t }));
      },
    );
    req.on('error', (e) => res({ status: 0, text: e.message }));
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

const { dir, git } = await createBenchStore({ tickets: N, prefix: 'tack-bench-load-', root });
const ids = JSON.parse(
  execFileSync(process.execPath, [bin, 'sql', '--json', 'SELECT id FROM tickets'], {
    cwd: dir,
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  }),
).map((r) => r.id);
const { url, proc } = await startServe(dir);
const outside = Array.from({ length: OUTSIDE }, (_, k) =>
  spawn(
    process.execPath,
    [
      '-e',
      `const lib = require(${JSON.stringify(join(root, 'dist', 'lib.cjs'))});
       const ids = ${JSON.stringify(ids.slice(-50 - k * 50, ids.length - k * 50))};
       const ctx = lib.createContext({ cwd: ${JSON.stringify(dir)} });
       (async () => { for (;;) await lib.runOp(ctx, 'label-add', { id: ids[Math.floor(Math.random() * ids.length)], labels: ['o' + Math.floor(Math.random() * 1e6)] }).catch(() => {}); })();`,
    ],
    { cwd: dir, env, stdio: 'ignore' },
  ),
);
// The server's peak resident memory (Linux: VmHWM), read just before it stops.
const peakRss = () => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'));
    return m ? +(Number(m[1]) / 1024).toFixed(1) : null;
  } catch {
    return null;
  }
};
const reads = [];
const acked = new Map(); // id → last acknowledged priority
let writes = 0;
let failed = 0;
const PRIORITIES = ['urgent', 'high', 'medium', 'low', 'none'];
const end = now() + SECONDS * 1000;
log(`${N} tickets, ${CONNECTIONS} connections, ${Math.round(WRITES * 100)} % writes, ${SECONDS} s`);
await Promise.all(
  Array.from({ length: CONNECTIONS }, async (_, c) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    // Each client owns its tickets' writes, so "last acknowledged" is well defined.
    const mine = ids.filter((_, i) => i % CONNECTIONS === c);
    while (now() < end) {
      if (Math.random() < WRITES) {
        const id = mine[Math.floor(Math.random() * mine.length)];
        const priority = PRIORITIES[Math.floor(Math.random() * PRIORITIES.length)];
        const r = await call(agent, url, `/api/tickets/${id}`, 'PATCH', { priority });
        if (r.status === 200) {
          writes++;
          acked.set(id, priority);
        } else failed++;
      } else {
        const path =
          Math.random() < 0.5 ? `/api/tickets/${ids[Math.floor(Math.random() * ids.length)]}` : '/api/tickets?limit=50';
        const t0 = now();
        const r = await call(agent, url, path);
        if (r.status === 200) reads.push(now() - t0);
        else failed++;
      }
    }
    agent.destroy();
  }),
);
const elapsed = SECONDS;
for (const o of outside) o.kill('SIGKILL');
const serverPeakRssMiB = peakRss();
proc.kill('SIGTERM');
await new Promise((r) => proc.once('exit', r));
// Every acknowledged write is in git: the ticket file at the tip carries the last priority.
let missing = 0;
for (const [id, priority] of acked) {
  const text = git('show', `tack:tickets/${id}.md`);
  const m = /^priority: (\S+)$/m.exec(text);
  if ((m ? m[1] : 'none') !== priority) missing++;
}
const result = {
  machine: `${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}`,
  tickets: N,
  connections: CONNECTIONS,
  writeShare: WRITES,
  seconds: elapsed,
  reads: reads.length,
  readP50ms: +pct(reads, 0.5).toFixed(2),
  readP99ms: +pct(reads, 0.99).toFixed(2),
  writes,
  writesPerSecond: +(writes / elapsed).toFixed(1),
  failed,
  ackedTickets: acked.size,
  ackedMissingInGit: missing,
  outsideWriters: OUTSIDE,
  serverPeakRssMiB,
};
if (asJson) console.log(JSON.stringify(result));
else console.log(result);
rmSync(dir, { recursive: true, force: true });
