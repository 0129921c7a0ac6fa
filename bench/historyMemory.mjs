// Memory follows the present, not the past (issue 13.4): a store of --tickets tickets whose
// history holds --commits later commits, each changing one ticket (as a fleet of agents'
// writes leave it), then `reindex` and `validate --all` on it, each run once under GNU time
// for its peak RSS and wall time. Usage, after `npm run build`:
//   [TACK_ROOT=/other/checkout] node bench/historyMemory.mjs [--tickets 2000] [--commits 300000] [--store DIR] [--json]
// --store keeps the generated repository in DIR and reuses it when it is there (two builds
// measured on one store).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { benchEnv, tackBuild } from './benchStore.mjs';

const root = process.env.TACK_ROOT ?? resolve(new URL('.', import.meta.url).pathname, '..');
const { bin } = tackBuild(root);
const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : def);
const T = opt('tickets', 2000);
const C = opt('commits', 300000);
const asJson = args.includes('--json');
const storeArg = args.includes('--store') ? resolve(args[args.indexOf('--store') + 1]) : null;
const log = (...a) => {
  if (!asJson) console.error(...a);
};
const env = benchEnv;
const git = (dir, a, input) =>
  execFileSync('git', a, { cwd: dir, env, input, encoding: 'utf8', maxBuffer: 1 << 30 }).trim();

/** T tickets in one commit, then C commits of one ticket's priority each, by one `git fast-import`. */
function build(dir) {
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q']);
  git(dir, ['-c', 'user.name=b', '-c', 'user.email=b@example.com', 'commit', '-q', '--allow-empty', '-m', 'init']);
  execFileSync(process.execPath, [bin, 'init', '--layout', 'fanout'], { cwd: dir, env, stdio: 'ignore' });
  const parent = git(dir, ['rev-parse', 'refs/heads/tack']);
  const ids = Array.from({ length: T }, (_, i) => `tk-${(i * 7919 + 100000).toString(36).padStart(8, '0').slice(-8)}`);
  const path = (id) => `tickets/${id.slice(3, 5)}/${id}.md`;
  const text = (id, i, p) =>
    `---\nid: ${id}\ntitle: ticket ${i} about the parser\ntype: task\nstatus: todo\npriority: ${p}\nlabels: [a, b]\ncreated: 2026-11-21T10:00:00Z\nupdated: 2026-11-21T10:00:00Z\n---\nSome words of description for ticket ${i}.\n`;
  const file = (p, s) => `M 100644 inline ${p}\ndata ${Buffer.byteLength(s)}\n${s}\n`;
  const out = [
    `commit refs/heads/tack\ncommitter Bench <bench@example.com> 1763719200 +0000\ndata 9\nbench: T\nfrom ${parent}\n`,
  ];
  out.push(...ids.map((id, i) => file(path(id), text(id, i, 'low'))));
  const P = ['none', 'low', 'medium', 'high', 'urgent'];
  for (let c = 0; c < C; c++) {
    const i = (c * 31) % T;
    const msg = `update ${ids[i]}: priority\n\nTack-Op: update\nTack-Ticket: ${ids[i]}\nTack-Actor: agent-${c % 50}\n`;
    out.push(
      `commit refs/heads/tack\ncommitter Agent <a@example.com> ${1763719201 + c} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}`,
      file(path(ids[i]), text(ids[i], i, P[Math.floor(c / T) % 5])),
    );
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, env, input: out.join(''), maxBuffer: 1 << 30 });
  git(dir, ['gc', '-q']);
}

function timed(dir, argv) {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', process.execPath, bin, ...argv], {
    cwd: dir,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const m = /TIME ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  if (!m) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  return { seconds: Number(m[1]), peakRssMiB: Math.round(Number(m[2]) / 1024) };
}

const dir = storeArg ?? mkdtempSync(join(tmpdir(), 'tack-bench-history-'));
try {
  if (!existsSync(join(dir, '.git'))) {
    log(`building ${T} tickets with ${C} commits of history…`);
    build(dir);
  } else log(`reusing the store in ${dir}`);
  const results = { tickets: T, commits: C, node: process.version };
  results.reindex = timed(dir, ['reindex', '--json']);
  log(`reindex         ${results.reindex.seconds} s  ${results.reindex.peakRssMiB} MiB`);
  results.validateAll = timed(dir, ['validate', '--all', '--json']);
  log(`validate --all  ${results.validateAll.seconds} s  ${results.validateAll.peakRssMiB} MiB`);
  if (asJson) console.log(JSON.stringify(results, null, 2));
} finally {
  if (!storeArg) rmSync(dir, { recursive: true, force: true });
}
