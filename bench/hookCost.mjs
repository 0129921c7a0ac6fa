#!/usr/bin/env node
// What Tack's git hooks add to `git commit`: the same commit in two clones of one store,
// one with `tack hooks install`, one without, alternating, median of each.
// Usage: node bench/hookCost.mjs [--commits N] [--json]   (after `npm run build`)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(new URL('.', import.meta.url).pathname, '..');
const bin = join(root, 'bin', 'tack.cjs');
const args = process.argv.slice(2);
const N = args.includes('--commits') ? Number(args[args.indexOf('--commits') + 1]) : 40;
const asJson = args.includes('--json');
const env = { ...process.env, TACK_USER: 'bench', NO_COLOR: '1', GIT_CONFIG_NOSYSTEM: '1' };
const tmp = mkdtempSync(join(tmpdir(), 'tack-hookcost-'));

function repo(name, hooks) {
  const dir = join(tmp, name);
  const git = (...a) => execFileSync('git', a, { cwd: dir, env, encoding: 'utf8' }).trim();
  execFileSync('git', ['init', '-q', '-b', 'main', dir], { env });
  git('config', 'user.name', 'Bench');
  git('config', 'user.email', 'bench@example.com');
  git('commit', '-q', '--allow-empty', '-m', 'init');
  execFileSync(process.execPath, [bin, 'init'], { cwd: dir, env });
  const id = JSON.parse(execFileSync(process.execPath, [bin, 'create', 'Hooked work', '--json'], { cwd: dir, env })).id;
  if (hooks) execFileSync(process.execPath, [bin, 'hooks', 'install'], { cwd: dir, env });
  return { dir, git, id };
}

function commitMs(r, i) {
  writeFileSync(join(r.dir, 'f.txt'), `change ${i}\n`);
  r.git('add', 'f.txt');
  const t = process.hrtime.bigint();
  r.git('commit', '-q', '-m', `work ${i}, refs ${r.id}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const plain = repo('plain', false);
const hooked = repo('hooked', true);
const a = [];
const b = [];
for (let i = 0; i < N; i++) {
  a.push(commitMs(plain, i));
  b.push(commitMs(hooked, i));
}
// The links still arrive: the next tack command waits for the background scan.
const shown = JSON.parse(execFileSync(process.execPath, [bin, 'show', hooked.id, '--json'], { cwd: hooked.dir, env }));
const result = {
  commits: N,
  plain_ms: Number(median(a).toFixed(1)),
  hooked_ms: Number(median(b).toFixed(1)),
  added_ms: Number((median(b) - median(a)).toFixed(1)),
  linked_commits: (shown.commits ?? []).length,
};
rmSync(tmp, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
if (asJson) console.log(JSON.stringify(result));
else
  console.log(
    `git commit: ${result.plain_ms} ms without hooks, ${result.hooked_ms} ms with Tack's hooks (+${result.added_ms} ms); ${result.linked_commits} of ${N} commits linked`,
  );
