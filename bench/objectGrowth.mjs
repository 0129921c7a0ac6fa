#!/usr/bin/env node
// How much .git/objects grows per write, with Tack's housekeeping (background `git gc --auto`
// once loose objects pass git's threshold) and without it (gc.auto=0, as before).
// Usage: node bench/objectGrowth.mjs [--tickets N] [--writes N] [--json]   (after `npm run build`)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = resolve(new URL('.', import.meta.url).pathname, '..');
const lib = require(join(root, 'dist', 'lib.cjs'));
const bin = join(root, 'bin', 'tack.cjs');
const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : def);
const N = opt('tickets', 10000);
const WRITES = opt('writes', 300);
const asJson = args.includes('--json');
const log = (...a) => {
  if (!asJson) console.error(...a);
};
const env = { ...process.env, TACK_USER: 'bench', NO_COLOR: '1', GIT_CONFIG_NOSYSTEM: '1' };

function bytes(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? bytes(p) : statSync(p).size;
  }
  return n;
}

async function store(autoGc) {
  const dir = mkdtempSync(join(tmpdir(), 'tack-growth-'));
  const git = (...a) => execFileSync('git', a, { cwd: dir, env, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Bench');
  git('config', 'user.email', 'bench@example.com');
  if (!autoGc) git('config', 'gc.auto', '0');
  git('commit', '-q', '--allow-empty', '-m', 'init');
  execFileSync(process.execPath, [bin, 'init'], { cwd: dir, env });
  const ctx = lib.createContext({ cwd: dir });
  for (let i = 0; i < N; i += 1000) {
    const ops = [];
    for (let j = i; j < Math.min(N, i + 1000); j++)
      ops.push({ op: 'create', title: `ticket ${j}`, description: `body of ticket ${j}\n` });
    await lib.runOp(ctx, 'batch', { operations: ops });
  }
  ctx.close();
  git('-c', 'gc.auto=1', 'gc', '-q'); // start both from one packed store
  return { dir, git };
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
