// Mixed load on `tack serve` (issue 13). Usage, after `npm run build`:
//   [TACK_ROOT=/other/checkout] node bench/serverLoad.mjs [--tickets N] [--connections C] [--writes 0.3] [--seconds S] [--outside-writers K] [--layout flat|fanout] [--packed] [--phases] [--json]
// --packed writes the tickets with one `git fast-import` and packs them (`git gc`), as a
// store fetched from a remote is; otherwise they are created through Tack.
// C clients, each on its own keep-alive connection, loop for S seconds: with probability
// `writes` a PATCH of a random ticket's priority, else a GET of a random ticket or of a list.
// Reports read p50/p99, writes/s, and checks every acknowledged write is in git afterwards.
// --phases runs, on one server, the figures one after the other (see bench/README.md):
// reads alone on one connection; the mixed load; reads while a sync against a remote whose
// upload-pack sleeps and a runaway SQL query are in flight; writes only at --write-connections
// (20); SIGTERM while that write load runs; then the check in git and the peak RSS.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { benchEnv, createBenchStore, tackBuild, ticketPath } from './benchStore.mjs';
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
const PHASES = args.includes('--phases');
const LAYOUT = args.includes('--layout') ? args[args.indexOf('--layout') + 1] : 'flat';
if (LAYOUT !== 'flat' && LAYOUT !== 'fanout') throw new Error(`--layout ${LAYOUT}: expected flat or fanout`);
const PACKED = args.includes('--packed');
const WRITE_CONNECTIONS = opt('write-connections', 20);
const log = (...a) => {
  if (!asJson) console.error(...a);
};
const env = benchEnv;
const now = () => Number(process.hrtime.bigint()) / 1e6;
const pct = (xs, p) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] : NaN;

/** The end of the server's log (stderr). */
let serverLog = '';

function startServe(dir) {
  const proc = spawn(process.execPath, [bin, 'serve', '--port', '0'], { cwd: dir, env });
  // Its log is read as it comes (the last lines kept): a pipe nobody reads fills at 64 KiB,
  // and the server, its lanes and their children all write to it.
  proc.stderr.setEncoding('utf8').on('data', (d) => {
    serverLog = (serverLog + d).slice(-4096);
  });
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

const { dir, git } = await createBenchStore({
  tickets: N,
  prefix: 'tack-bench-load-',
  root,
  layout: LAYOUT,
  fast: PACKED,
});
if (PACKED) {
  execFileSync(process.execPath, [bin, 'reindex'], { cwd: dir, env, stdio: 'ignore' });
  git('gc', '-q');
}
// A remote whose upload-pack sleeps: a sync against it stays in flight (the slow-sync phase).
const remote = `${dir}-remote.git`;
execFileSync('git', ['init', '-q', '--bare', remote]);
git('remote', 'add', 'origin', remote);
git('config', 'remote.origin.uploadpack', 'sleep 120; git-upload-pack');
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
// However the run ends (a failed phase throws), the server, the outside writers and the
// temporary repositories go with it. Killing a process that already exited does nothing.
process.once('exit', () => {
  for (const p of [proc, ...outside]) p.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  rmSync(remote, { recursive: true, force: true });
});
// Peak resident memory (Linux: VmHWM) of a process, read just before the server stops.
const peakOf = (pid) => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? +(Number(m[1]) / 1024).toFixed(1) : null;
  } catch {
    return null;
  }
};
const peakRss = () => peakOf(proc.pid);
// The server's long-lived children (its write, read and refresh lanes), each one's peak.
const childPeaks = () => {
  try {
    return readFileSync(`/proc/${proc.pid}/task/${proc.pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((pid) => peakOf(Number(pid)))
      .filter((x) => x !== null);
  } catch {
    return [];
  }
};
const PRIORITIES = ['urgent', 'high', 'medium', 'low', 'none'];
const acked = new Map(); // id → last acknowledged priority
const unanswered = new Map(); // id → priorities written after it without an answer
let failed = 0;
const failures = {}; // status and error code → count
const fail = (r, what) => {
  if (stopping) return;
  failed++;
  let code = '';
  try {
    code = JSON.parse(r.text).error.code;
  } catch {
    code = r.text.slice(0, 40);
  }
  const k = `${what} ${r.status} ${code}`;
  failures[k] = (failures[k] ?? 0) + 1;
};
let stopAll = false;
// Requests cut by the server's stop are not failures: the SIGTERM phase measures the stop.
let stopping = false;

/** `connections` clients for `seconds` (or until stopAll): `writeShare` of PATCHes, else GETs. */
async function load({ connections, seconds, writeShare }) {
  const reads = [];
  let writes = 0;
  const end = now() + seconds * 1000;
  const t0 = now();
  // This process's own event-loop delay and CPU: a read's latency includes the time its
  // answer waits here, on a machine whose cores the server and the load share.
  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      // Each client owns its tickets' writes, so "last acknowledged" is well defined.
      const mine = ids.filter((_, i) => i % connections === c);
      while (now() < end && !stopAll) {
        if (Math.random() < writeShare) {
          const id = mine[Math.floor(Math.random() * mine.length)];
          const priority = PRIORITIES[Math.floor(Math.random() * PRIORITIES.length)];
          const r = await call(agent, url, `/api/tickets/${id}`, 'PATCH', { priority });
          if (r.status === 200) {
            writes++;
            acked.set(id, priority);
            unanswered.delete(id);
          } else {
            // No answer (the stop cut it, or it failed): it may have landed all the same.
            if (!unanswered.has(id)) unanswered.set(id, new Set());
            unanswered.get(id).add(priority);
            if (!stopAll) fail(r, 'write');
          }
        } else {
          const path =
            Math.random() < 0.5
              ? `/api/tickets/${ids[Math.floor(Math.random() * ids.length)]}`
              : '/api/tickets?limit=50';
          const t = now();
          const r = await call(agent, url, path);
          if (r.status === 200) reads.push(now() - t);
          else if (!stopAll) fail(r, 'read');
        }
      }
      agent.destroy();
    }),
  );
  const elapsed = (now() - t0) / 1000;
  lag.disable();
  const cpu = process.cpuUsage(cpu0);
  return {
    reads: reads.length,
    readP50ms: +pct(reads, 0.5).toFixed(2),
    readP99ms: +pct(reads, 0.99).toFixed(2),
    writes,
    writesPerSecond: +(writes / elapsed).toFixed(1),
    loadEventLoopLagP99ms: +(lag.percentile(99) / 1e6).toFixed(2),
    loadCpuShare: +((cpu.user + cpu.system) / 1e6 / elapsed).toFixed(2),
  };
}

const phases = {};
let sigtermToExitMs = null;
let serverPeakRssMiB = null;
let lanePeaksMiB = [];
if (!PHASES) {
  log(`${N} tickets, ${CONNECTIONS} connections, ${Math.round(WRITES * 100)} % writes, ${SECONDS} s`);
  phases.mixed = await load({ connections: CONNECTIONS, seconds: SECONDS, writeShare: WRITES });
  serverPeakRssMiB = peakRss();
  lanePeaksMiB = childPeaks();
  proc.kill('SIGTERM');
  await new Promise((r) => proc.once('exit', r));
} else {
  log(`${N} tickets: reads alone (1 connection, ${SECONDS} s)`);
  phases.readsAlone = await load({ connections: 1, seconds: SECONDS, writeShare: 0 });
  log(`mixed: ${CONNECTIONS} connections, ${Math.round(WRITES * 100)} % writes`);
  phases.mixed = await load({ connections: CONNECTIONS, seconds: SECONDS, writeShare: WRITES });
  log('reads while a slow sync and a runaway SQL query are in flight');
  const agent = new Agent({ keepAlive: false });
  const sync = call(agent, url, '/api/sync', 'POST', {});
  const runaway = call(
    agent,
    url,
    `/api/sql?query=${encodeURIComponent('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c')}&timeout=60s`,
  );
  await new Promise((r) => setTimeout(r, 1000)); // both have started
  phases.slowSyncAndRunawaySql = await load({ connections: CONNECTIONS, seconds: SECONDS, writeShare: WRITES });
  log(`writes only: ${WRITE_CONNECTIONS} connections`);
  phases.writesOnly = await load({ connections: WRITE_CONNECTIONS, seconds: SECONDS, writeShare: 1 });
  log('SIGTERM under the same write load');
  const underLoad = load({ connections: WRITE_CONNECTIONS, seconds: 600, writeShare: 1 });
  await new Promise((r) => setTimeout(r, 2000));
  serverPeakRssMiB = peakRss();
  lanePeaksMiB = childPeaks();
  const exited = new Promise((r) => proc.once('exit', () => r(now())));
  const t0 = now();
  stopping = true;
  proc.kill('SIGTERM');
  sigtermToExitMs = +((await exited) - t0).toFixed(0);
  if (sigtermToExitMs > 2000)
    console.error(`the server took ${sigtermToExitMs} ms to stop; its log ends:\n${serverLog}`);
  stopAll = true;
  await underLoad;
  await Promise.all([sync, runaway]);
  agent.destroy();
}
for (const o of outside) o.kill('SIGKILL');
// Every acknowledged write is in git: the ticket file at the tip carries the last acknowledged
// priority, or one written after it that got no answer (a write the stop cut may have landed).
let missing = 0;
let supersededByUnanswered = 0;
for (const [id, priority] of acked) {
  const text = git('show', `tack:${ticketPath(id, LAYOUT)}`);
  const m = /^priority: (\S+)$/m.exec(text);
  const tip = m ? m[1] : 'none';
  if (tip === priority) continue;
  if (unanswered.get(id)?.has(tip)) supersededByUnanswered++;
  else {
    missing++;
    console.error(`acknowledged write missing: ${id} acknowledged ${priority}, at the tip ${tip}`);
  }
}
const result = {
  machine: `${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}`,
  loadAverage: loadavg().map((x) => +x.toFixed(2)),
  tickets: N,
  connections: CONNECTIONS,
  writeConnections: PHASES ? WRITE_CONNECTIONS : undefined,
  writeShare: WRITES,
  seconds: SECONDS,
  ...(PHASES ? { phases } : phases.mixed),
  failed,
  failures,
  ackedTickets: acked.size,
  ackedMissingInGit: missing,
  ackedThenUnansweredWriteLanded: supersededByUnanswered,
  outsideWriters: OUTSIDE,
  sigtermToExitMs,
  serverPeakRssMiB,
  lanePeaksMiB,
};
if (asJson) console.log(JSON.stringify(result));
else console.log(JSON.stringify(result, null, 2));
