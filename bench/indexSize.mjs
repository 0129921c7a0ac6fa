#!/usr/bin/env node
// The index's size per ticket and its full rebuild time (issue 15, item 2), at one store size.
// The store is bench/benchStore.mjs's (as bench/run.mjs's: batches of 1,000 creates), then
// a fifth of its tickets change status and a tenth get a comment, so history holds more than
// creations. Usage (after `npm run build`):
//   node bench/indexSize.mjs --tickets N [--runs 3] [--store DIR] [--json]
// --store DIR keeps the generated repository in DIR (and reuses it when it is already there),
// so two builds of Tack are compared on the very same store. --fast writes the tickets with one
// `git fast-import` (benchStore.mjs) instead of creating them through Tack (100,000 in a
// minute or two); --layout fanout makes a fan-out store (tickets/<shard>/<id>.md).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { benchEnv, createBenchStore, pick, runBatches, STATUSES, tackBuild } from './benchStore.mjs';

const { lib, bin } = tackBuild();
const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : def);
const N = Number(opt('tickets', 10000));
const RUNS = Number(opt('runs', 3));
const keepDir = opt('store', null);
const asJson = args.includes('--json');
const fast = args.includes('--fast');
const layout = opt('layout', 'flat');
const log = (...a) => {
  if (!asJson) console.error(...a);
};
const env = benchEnv;
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The bench store, then a fifth of its tickets change status and a tenth get a comment. */
async function generate(dir) {
  const { git, createMs } = await createBenchStore({ tickets: N, dir, fast, layout });
  const t0 = process.hrtime.bigint();
  const ids = git('ls-tree', '-r', '--name-only', 'tack')
    .split('\n')
    .filter((p) => /(^|\/)tickets\//.test(p) && p.endsWith('.md'))
    .map((p) => p.replace(/^.*\//, '').replace(/\.md$/, ''));
  const later = [];
  ids.forEach((id, i) => {
    if (i % 5 === 0) later.push({ op: 'update', id, status: STATUSES[(i + 2) % STATUSES.length] });
    if (i % 10 === 3) later.push({ op: 'comment', id, text: `Looked at the ${pick(i, 12)}: ${pick(i, 13)} next.` });
  });
  await runBatches(lib, dir, later);
  log(`generated ${ids.length} tickets and ${later.length} changes in ${((createMs + ms(t0)) / 1000).toFixed(1)} s`);
}

function fileSize(p) {
  return existsSync(p) ? statSync(p).size : 0;
}

/** Bytes per table (with its indexes) from SQLite's dbstat, largest first. */
function tableSizes(path) {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const rows = db
      .prepare(
        `SELECT coalesce(m.tbl_name, s.name) AS tbl, sum(s.pgsize) AS bytes
         FROM dbstat s LEFT JOIN sqlite_master m ON m.name = s.name GROUP BY tbl ORDER BY bytes DESC`,
      )
      .all();
    const out = {};
    for (const r of rows) {
      const k = r.tbl.startsWith('tickets_fts') ? 'tickets_fts' : r.tbl;
      out[k] = (out[k] ?? 0) + r.bytes;
    }
    return out;
  } finally {
    db.close();
  }
}

async function main() {
  const dir = keepDir ? resolve(keepDir) : join(tmpdir(), `tack-idxsize-${process.pid}`);
  if (!existsSync(join(dir, '.git'))) await generate(dir);
  else log(`reusing the store in ${dir}`);
  const idx = join(dir, '.git', 'tack', 'index.db');
  const times = [];
  const cpu = [];
  const rss = [];
  try {
    for (let k = 0; k < RUNS; k++) {
      // From scratch: no index file, no blob cache; the command rebuilds everything from git.
      for (const suffix of ['', '-wal', '-shm']) rmSync(idx + suffix, { force: true });
      const t0 = process.hrtime.bigint();
      // GNU time reports the CPU the command and its git children used (on a shared machine
      // the wall time mostly measures the queue for a core) and the peak RSS of the largest.
      const r = spawnSync('/usr/bin/time', ['-f', 'TIME %U %S %M', process.execPath, bin, 'reindex'], {
        cwd: dir,
        env,
        encoding: 'utf8',
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      times.push(ms(t0));
      const line = /TIME ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
      if (r.status !== 0 || !line) throw new Error(`tack reindex failed: ${r.stderr}`);
      cpu.push((Number(line[1]) + Number(line[2])) * 1000);
      rss.push(Number(line[3]) / 1024);
      log(
        `rebuild ${k + 1}: ${(times.at(-1) / 1000).toFixed(2)} s wall, ${(cpu.at(-1) / 1000).toFixed(2)} s CPU, ${rss.at(-1).toFixed(0)} MiB peak RSS`,
      );
    }
    // What stays on disk once the writer is gone: the WAL folded into the file.
    const db = new DatabaseSync(idx);
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    db.close();
    const tickets = Number(
      execFileSync('git', ['ls-tree', '-r', '--name-only', 'tack'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 })
        .split('\n')
        .filter((p) => /(^|\/)tickets\//.test(p) && p.endsWith('.md')).length,
    );
    const bytes = fileSize(idx) + fileSize(`${idx}-wal`);
    const results = {
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
      node: process.version,
      tickets,
      rebuild_ms: median(times),
      rebuild_runs_ms: times.map((t) => Math.round(t)),
      rebuild_cpu_ms: Math.round(median(cpu)),
      rebuild_peak_rss_mib: Math.round(Math.max(...rss)),
      index_bytes: bytes,
      bytes_per_ticket: Math.round(bytes / tickets),
      tables: tableSizes(idx),
    };
    log(
      `${tickets} tickets: rebuild ${(results.rebuild_ms / 1000).toFixed(2)} s wall, ${(results.rebuild_cpu_ms / 1000).toFixed(2)} s CPU (median of ${RUNS}), index ${(bytes / 1048576).toFixed(1)} MiB = ${results.bytes_per_ticket} B/ticket`,
    );
    for (const [t, b] of Object.entries(results.tables))
      log(`  ${t.padEnd(20)} ${(b / 1048576).toFixed(2)} MiB  ${Math.round(b / tickets)} B/ticket`);
    if (asJson) console.log(JSON.stringify(results, null, 2));
  } finally {
    if (!keepDir) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
