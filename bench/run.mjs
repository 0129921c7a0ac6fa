// Tack's speed targets (issue: the foundation), measured as ratios against a bare
// `node -e 0` run in the same session on the same machine. Usage: npm run bench
// Options: --tickets N (default 10000), --runs N (default 15), --json, --keep,
//   --store DIR (keep the generated store in DIR and reuse it when it is there: two builds
//   measured on one store; each run adds its `create`s and one commit of 100 hand edits),
//   --fast (tickets written by one `git fast-import`, benchStore.mjs: 100,000 in minutes),
//   --layout flat|fanout (default flat).
// Each command also runs once under GNU time for its peak RSS (not in the timed runs).
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { benchEnv, createBenchStore, tackBuild, ticketPath } from './benchStore.mjs';

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
const storeDir = args.includes('--store') ? resolve(args[args.indexOf('--store') + 1]) : undefined;
const fast = args.includes('--fast');
const layout = args.includes('--layout') ? args[args.indexOf('--layout') + 1] : 'flat';
if (layout !== 'flat' && layout !== 'fanout') throw new Error(`--layout ${layout}: expected flat or fanout`);
const log = (...a) => {
  if (!asJson) console.error(...a);
};

const env = benchEnv;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

/**
 * Median times of a command and of a bare `node -e 0`, run alternately: a baseline timed in
 * a block of its own, before or after, meets the machine in another state (a CPU's clock,
 * the page cache, a neighbour's load) and its ratios are off by a quarter or more.
 */
function timeAgainstBare(run, cwd, runs = RUNS) {
  const times = [];
  const bare = [];
  for (let i = 0; i < runs; i++) {
    let t0 = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0'], { cwd, env, stdio: 'ignore' });
    bare.push(ms(t0));
    t0 = process.hrtime.bigint();
    run(i);
    times.push(ms(t0));
  }
  return { ms: median(times), bare: median(bare) };
}
const spawnOk = (argv, cwd) => () => {
  const r = spawnSync(process.execPath, argv, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
};

/** Peak resident memory of one run, in MiB (GNU time's %M). */
function peakRss(argv, cwd) {
  const r = spawnSync('/usr/bin/time', ['-f', 'RSS %M', process.execPath, ...argv], {
    cwd,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const m = /RSS (\d+)/.exec(r.stderr ?? '');
  return m ? Math.round(Number(m[1]) / 1024) : null;
}

async function main() {
  log(`creating ${N} tickets ${fast ? 'with git fast-import' : 'through the library'}…`);
  const { dir, git, createMs, reused } = await createBenchStore({ tickets: N, dir: storeDir, fast, layout });
  if (reused) log(`reusing the store in ${dir}`);
  try {
    const results = {
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
      node: process.version,
      tickets: N,
      runs: RUNS,
      layout,
      load_average: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
      create_all_ms: createMs,
      create_method: reused ? 'reused' : fast ? 'fast-import' : 'library',
      peak_rss_mib: {},
    };

    const ids = JSON.parse(
      execFileSync(process.execPath, [bin, 'list', '--all', '--json', '--limit', '200'], {
        cwd: dir,
        env,
        encoding: 'utf8',
      }),
    ).map((t) => t.id);
    const some = ids[17];

    const bares = [];
    const cases = {
      'list --limit 50': ['list', '--limit', '50'],
      'list (all open)': ['list'],
      'ready --limit 20': ['ready', '--limit', '20'],
      show: ['show', some],
      search: ['search', 'parser', 'trailing', '--limit', '20'],
    };
    results.commands = {};
    for (const [name, argv] of Object.entries(cases)) {
      const t = timeAgainstBare(spawnOk([bin, ...argv], dir), dir);
      bares.push(t.bare);
      results.commands[name] = { ms: t.ms, bare_ms: t.bare, ratio: t.ms / t.bare };
      results.peak_rss_mib[name] = peakRss([bin, ...argv], dir);
      log(
        `${name.padEnd(18)} ${t.ms.toFixed(1)} ms  ${(t.ms / t.bare).toFixed(2)}× (bare ${t.bare.toFixed(1)} ms)  ${results.peak_rss_mib[name]} MiB`,
      );
    }
    const c = timeAgainstBare(
      (i) => execFileSync(process.execPath, [bin, 'create', `bench create ${i}`], { cwd: dir, env, stdio: 'ignore' }),
      dir,
    );
    bares.push(c.bare);
    results.commands['create (with commit)'] = { ms: c.ms, bare_ms: c.bare, ratio: c.ms / c.bare };
    results.bare_node_ms = median(bares);
    results.peak_rss_mib.create = peakRss([bin, 'create', 'bench create rss'], dir);
    log(`${'create'.padEnd(18)} ${c.ms.toFixed(1)} ms  ${(c.ms / c.bare).toFixed(2)}× (bare ${c.bare.toFixed(1)} ms)`);

    // Reads asked for all of their answer: written as they are read, so their peak should not
    // grow with the store (a common word matches every ticket of a bench store).
    for (const [name, argv] of Object.entries({
      'list --limit 0 --json': ['list', '--limit', '0', '--json'],
      'list --all --limit 0': ['list', '--all', '--limit', '0'],
      'ready --limit 0 --json': ['ready', '--limit', '0', '--json'],
      'search --limit 0 --json': ['search', 'the', '--limit', '0', '--json'],
    })) {
      results.peak_rss_mib[name] = peakRss([bin, ...argv], dir);
      log(`${name.padEnd(24)} ${results.peak_rss_mib[name]} MiB`);
    }

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
    for (const suffix of ['', '-wal', '-shm']) rmSync(idxPath + suffix, { force: true });
    results.peak_rss_mib['full reindex'] = peakRss([bin, 'list', '--limit', '1'], dir);
    log(`full reindex       ${results.full_reindex_ms.toFixed(0)} ms`);

    // Refresh after 100 tickets changed in one commit made by plain git (as a pull or a
    // hand edit would), timed in-process: only the changed blobs are re-parsed.
    const ctx2 = lib.createContext({ cwd: dir });
    await ctx2.index();
    const wt = mkdtempSync(join(tmpdir(), 'tack-bench-wt-'));
    git('worktree', 'add', '-q', '-f', wt, 'tack');
    for (const id of ids.slice(0, 100)) {
      const f = join(wt, ticketPath(id, layout));
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
    git('worktree', 'remove', '--force', wt);
    log(`refresh after 100  ${results.refresh_100_ms.toFixed(0)} ms`);
    log(`create ${N} (lib)  ${(results.create_all_ms / 1000).toFixed(2)} s`);
    if (asJson) console.log(JSON.stringify(results, null, 2));
    writeFileSync(join(root, 'bench', 'last-run.json'), `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    if (keep || storeDir) log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
