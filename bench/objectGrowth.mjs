#!/usr/bin/env node
// How much .git/objects grows per write, with Tack's housekeeping (background `git gc --auto`
// once loose objects pass git's threshold) and without it (gc.auto=0, as before).
// Usage: node bench/objectGrowth.mjs [--tickets N] [--writes N] [--json]   (after `npm run build`)
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { benchEnv, createBenchStore, tackBuild } from './benchStore.mjs';

const { bin } = tackBuild();
const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : def);
const N = opt('tickets', 10000);
const WRITES = opt('writes', 300);
const asJson = args.includes('--json');
const log = (...a) => {
  if (!asJson) console.error(...a);
};
const env = benchEnv;

function bytes(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? bytes(p) : statSync(p).size;
  }
  return n;
}

async function store(autoGc) {
  const made = await createBenchStore({
    tickets: N,
    prefix: 'tack-growth-',
    gitConfig: autoGc ? {} : { 'gc.auto': '0' },
  });
  made.git('-c', 'gc.auto=1', 'gc', '-q'); // start both from one packed store
  return made;
}

async function run(autoGc) {
  const { dir, git } = await store(autoGc);
  const objects = join(dir, '.git', 'objects');
  const before = bytes(objects);
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
  const packs = readdirSync(join(objects, 'pack')).filter((f) => f.endsWith('.pack')).length;
  git('fsck', '--strict');
  rmSync(dir, { recursive: true, force: true });
  return { before, after, per_write: (after - before) / WRITES, ms_per_write: elapsed / WRITES, packs };
}

const off = await run(false);
log(
  `without housekeeping: ${(off.per_write / 1024).toFixed(1)} KiB per write, ${off.ms_per_write.toFixed(0)} ms per write`,
);
const on = await run(true);
log(
  `with housekeeping:    ${(on.per_write / 1024).toFixed(1)} KiB per write, ${on.ms_per_write.toFixed(0)} ms per write, ${on.packs} packs`,
);
const result = {
  tickets: N,
  writes: WRITES,
  node: process.version,
  without: off,
  with: on,
  date: new Date().toISOString().slice(0, 10),
};
if (asJson) console.log(JSON.stringify(result, null, 2));
