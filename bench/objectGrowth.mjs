#!/usr/bin/env node
// How much .git/objects grows per write, with Tack's housekeeping (background `git gc --auto`
// once loose objects pass git's threshold) and without it (gc.auto=0, as before).
// Usage: node bench/objectGrowth.mjs [--tickets N] [--writes N] [--layout flat|fanout]
//        [--without-only] [--json]   (after `npm run build`)
// --layout fanout: the store keeps tickets/<shard>/<id>.md (a write rewrites one shard tree);
// --without-only: measure the write itself (gc.auto=0) and skip the housekeeping run.
// --fast: write the N ticket files with one `git fast-import` (the same text a create
//   writes, ids random) and `tack reindex`, instead of creating them through Tack: 100,000
//   tickets in a minute or two rather than half an hour; the writes measured are the same.
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { benchEnv, bytes, createBenchStore, fastImportTickets, tackBuild } from './benchStore.mjs';

const { bin } = tackBuild();
const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : def);
const N = opt('tickets', 10000);
const WRITES = opt('writes', 300);
const asJson = args.includes('--json');
const LAYOUT = args.includes('--layout') ? args[args.indexOf('--layout') + 1] : 'flat';
if (LAYOUT !== 'flat' && LAYOUT !== 'fanout') throw new Error(`--layout ${LAYOUT}: expected flat or fanout`);
const WITHOUT_ONLY = args.includes('--without-only');
const FAST = args.includes('--fast');

/** N ticket files in one commit on the store branch (benchStore.mjs), then indexed. */
function fastImport(dir) {
  fastImportTickets(dir, N, LAYOUT);
  execFileSync(process.execPath, [bin, 'reindex'], { cwd: dir, env, stdio: 'ignore' });
}
const log = (...a) => {
  if (!asJson) console.error(...a);
};
const env = benchEnv;

async function store(autoGc) {
  const made = await createBenchStore({
    tickets: FAST ? 0 : N,
    prefix: 'tack-growth-',
    layout: LAYOUT,
    gitConfig: autoGc ? {} : { 'gc.auto': '0' },
  });
  if (FAST) {
    const t0 = Date.now();
    fastImport(made.dir);
    made.createMs = Date.now() - t0;
  }
  made.git('-c', 'gc.auto=1', 'gc', '-q'); // start both from one packed store
  return made;
}

async function run(autoGc) {
  const { dir, git, createMs } = await store(autoGc);
  const objects = join(dir, '.git', 'objects');
  const before = bytes(objects);
  const head0 = git('rev-parse', 'tack');
  const ids = JSON.parse(
    execFileSync(process.execPath, [bin, 'list', '--json', '--limit', String(WRITES)], {
      cwd: dir,
      env,
      encoding: 'utf8',
    }),
  ).map((t) => t.id);
  const t0 = Date.now();
  for (let i = 0; i < WRITES; i++)
    execFileSync(process.execPath, [bin, 'label', 'add', ids[i % ids.length], `w${i}`], {
      cwd: dir,
      env,
      stdio: 'ignore',
    });
  const elapsed = Date.now() - t0;
  // A background repack may still be running: wait until the size settles.
  let after = bytes(objects);
  for (let i = 0; i < 60; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = bytes(objects);
    if (now === after) break;
    after = now;
  }
  const objectsPerWrite = git('rev-list', '--objects', `${head0}..tack`).split('\n').filter(Boolean).length / WRITES;
  const ticketsTree = git('ls-tree', 'tack:tickets').split('\n').filter(Boolean).length;
  const packs = readdirSync(join(objects, 'pack')).filter((f) => f.endsWith('.pack')).length;
  git('fsck', '--strict');
  rmSync(dir, { recursive: true, force: true });
  return {
    before,
    after,
    per_write: (after - before) / WRITES,
    ms_per_write: elapsed / WRITES,
    objects_per_write: objectsPerWrite,
    tickets_tree_entries: ticketsTree,
    create_ms: createMs,
    packs,
  };
}

const off = await run(false);
log(
  `without housekeeping (${LAYOUT}): ${(off.per_write / 1024).toFixed(1)} KiB per write, ${off.ms_per_write.toFixed(0)} ms per write, ${off.objects_per_write} new objects per write, tickets/ tree of ${off.tickets_tree_entries} entries`,
);
const on = WITHOUT_ONLY ? null : await run(true);
if (on)
  log(
    `with housekeeping:    ${(on.per_write / 1024).toFixed(1)} KiB per write, ${on.ms_per_write.toFixed(0)} ms per write, ${on.packs} packs`,
  );
const result = {
  tickets: N,
  writes: WRITES,
  layout: LAYOUT,
  node: process.version,
  without: off,
  with: on,
  date: new Date().toISOString().slice(0, 10),
};
if (asJson) console.log(JSON.stringify(result, null, 2));
