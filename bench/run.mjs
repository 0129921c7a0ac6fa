// Tack's speed targets (issue: the foundation), measured as ratios against a bare
// `node -e 0` run in the same session on the same machine. Usage: npm run bench
// Options: --tickets N (default 10000), --runs N (default 15), --json
import { spawnSync, execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { benchEnv, createBenchStore, tackBuild } from './benchStore.mjs';

const root = resolve(new URL('.', import.meta.url).pathname, '..');
const { lib, bin } = tackBuild();

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const N = opt('tickets', 10000);
const RUNS = opt('runs', 15);
const asJson = args.includes('--json');
const keep = args.includes('--keep'); // leave the generated repository for profiling
const log = (...a) => {
  if (!asJson) console.error(...a);
};

const env = benchEnv;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

function timeCommand(cmd, argv, cwd, runs = RUNS) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, argv, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    times.push(ms(t0));
    if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.stderr}`);
  }
  return median(times);
}

async function main() {
  log(`creating ${N} tickets through the library…`);
  const { dir, git, createMs } = await createBenchStore({ tickets: N });
  try {
    const results = {
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
      node: process.version,
      tickets: N,
      runs: RUNS,
      create_all_ms: createMs,
    };

    const ids = JSON.parse(
      execFileSync(process.execPath, [bin, 'list', '--all', '--json', '--limit', '200'], {
        cwd: dir,
        env,
        encoding: 'utf8',
      }),
    ).map((t) => t.id);
    const some = ids[17];

    const bare = timeCommand(process.execPath, ['-e', '0'], dir);
    results.bare_node_ms = bare;
    const cases = {
      'list --limit 50': ['list', '--limit', '50'],
      'list (all open)': ['list'],
      'ready --limit 20': ['ready', '--limit', '20'],
      show: ['show', some],
      search: ['search', 'parser', 'trailing', '--limit', '20'],
    };
    results.commands = {};
    for (const [name, argv] of Object.entries(cases)) {
      const t = timeCommand(process.execPath, [bin, ...argv], dir);
      results.commands[name] = { ms: t, ratio: t / bare };
      log(`${name.padEnd(18)} ${t.toFixed(1)} ms  ${(t / bare).toFixed(2)}×`);
    }
    let i = 0;
    const createTimes = [];
    for (; i < RUNS; i++) {
      const t1 = process.hrtime.bigint();
      execFileSync(process.execPath, [bin, 'create', `bench create ${i}`], { cwd: dir, env, stdio: 'ignore' });
      createTimes.push(ms(t1));
    }
    const c = median(createTimes);
    results.commands['create (with commit)'] = { ms: c, ratio: c / bare };
    log(`${'create'.padEnd(18)} ${c.toFixed(1)} ms  ${(c / bare).toFixed(2)}×`);

    // Full reindex: the index deleted, rebuilt from git by the next command.
    const idxPath = join(dir, '.git', 'tack', 'index.db');
    const reindexTimes = [];
    for (let k = 0; k < 3; k++) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(idxPath + suffix, { force: true });
      const t1 = process.hrtime.bigint();
      execFileSync(process.execPath, [bin, 'list', '--limit', '1'], { cwd: dir, env, stdio: 'ignore' });
      reindexTimes.push(ms(t1));
    }
    results.full_reindex_ms = median(reindexTimes);
    log(`full reindex       ${results.full_reindex_ms.toFixed(0)} ms`);

    // Refresh after 100 tickets changed in one commit made by plain git (as a pull or a
    // hand edit would), timed in-process: only the changed blobs are re-parsed.
    const ctx2 = lib.createContext({ cwd: dir });
    await ctx2.index();
    const wt = join(dir, '.bench-wt');
    git('worktree', 'add', '-q', wt, 'tack');
    for (const id of ids.slice(0, 100)) {
      const f = join(wt, 'tickets', `${id}.md`);
      writeFileSync(
        f,
        readFileSync(f, 'utf8').replace(/^priority: (.*)$/m, (_, p) => `priority: ${p === 'low' ? 'high' : 'low'}`),
      );
    }
    execFileSync('git', ['commit', '-qam', 'bench: 100 tickets edited by hand'], { cwd: wt, env });
    const t0 = process.hrtime.bigint();
    await ctx2.index();
    results.refresh_100_ms = ms(t0);
    ctx2.close();
    log(`refresh after 100  ${results.refresh_100_ms.toFixed(0)} ms`);
    log(`create ${N} (lib)  ${(results.create_all_ms / 1000).toFixed(2)} s`);
    if (asJson) console.log(JSON.stringify(results, null, 2));
    writeFileSync(join(root, 'bench', 'last-run.json'), `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    if (keep) log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
