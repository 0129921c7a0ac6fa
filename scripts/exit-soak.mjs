// Exit soak: N consecutive CLI runs (reads and writes mixed) on one Node binary, each a
// new process, counting every unclean exit: a signal (SIGABRT at exit was the failure
// that started this), a non-zero status where zero was expected, or a JSON answer that
// did not arrive whole. A write whose answer is lost is the dangerous case: an agent
// retries it and makes a duplicate.
// Usage: node scripts/exit-soak.mjs [--node PATH] [--runs N] [--json]
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : def;
};
const node = opt('node', process.execPath);
const runs = Number(opt('runs', '1000'));
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`exit-soak: --runs expects a positive integer; received ${opt('runs')}`);
  process.exit(2);
}
const bin = resolve(new URL('.', import.meta.url).pathname, '..', 'bin', 'tack.cjs');
const env = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Soak',
  GIT_AUTHOR_EMAIL: 'soak@example.com',
  GIT_COMMITTER_NAME: 'Soak',
  GIT_COMMITTER_EMAIL: 'soak@example.com',
  TACK_USER: 'soak',
  NO_COLOR: '1',
};
const dir = mkdtempSync(join(tmpdir(), 'tack-soak-'));
const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();

const ids = [];
const pick = (i) => ids[(i * 7) % ids.length];
// The mix, cycled: writes (create, update, comment, label) and reads (list, show, search, ready).
const STEPS = [
  (i) => ['create', `soak ticket ${i} parser`, '--json'],
  () => ['list', '--json', '--limit', '20'],
  (i) => ['show', pick(i), '--json'],
  (i) => ['update', pick(i), '--status', ['todo', 'in-progress', 'done'][i % 3], '--json'],
  () => ['search', 'parser', '--json', '--limit', '5'],
  (i) => ['comment', pick(i), `comment ${i}`, '--json'],
  () => ['ready', '--json', '--limit', '5'],
  (i) => ['label', 'add', pick(i), `l${i % 5}`, '--json'],
  () => ['list', '--all', '--json'],
];

const failures = [];
const byKind = {};
const t0 = Date.now();
try {
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir, env });
  execFileSync('git', ['commit', '-q', '--allow-empty', '-m', 'init'], { cwd: dir, env });
  execFileSync(node, [bin, 'init'], { cwd: dir, env, stdio: 'ignore' });
  for (let i = 0; i < runs; i++) {
    const argv = ids.length === 0 ? STEPS[0](i) : STEPS[i % STEPS.length](i);
    const r = spawnSync(node, [bin, ...argv], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    let problem = null;
    if (r.signal) problem = `signal ${r.signal}`;
    else if (r.status !== 0) problem = `exit ${r.status}`;
    else {
      try {
        const out = JSON.parse(r.stdout);
        if (argv[0] === 'create') ids.push(out.id);
      } catch {
        problem = 'lost JSON';
      }
    }
    // With --json a page of a longer answer says what it left out on stderr (docs/decisions.md): expected, not stray.
    const stray = (r.stderr ?? '')
      .split('\n')
      .filter((l) => l && !/^tack: showing \d+–\d+ of \d+ /.test(l))
      .join('\n');
    if (stray && !problem) problem = `stderr: ${stray.trim().slice(0, 200)}`;
    if (problem) {
      byKind[argv[0]] = (byKind[argv[0]] ?? 0) + 1;
      failures.push({ run: i, command: argv.join(' '), problem, stderr: (r.stderr ?? '').trim().slice(0, 300) });
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const summary = {
  node: version,
  runs,
  unclean: failures.length,
  by_command: byKind,
  seconds: Math.round((Date.now() - t0) / 1000),
  first: failures.slice(0, 5),
};
if (args.includes('--json')) console.log(JSON.stringify(summary, null, 2));
else {
  console.log(`exit soak on Node ${version}: ${runs} runs, ${failures.length} unclean, ${summary.seconds} s`);
  for (const f of summary.first)
    console.log(`  run ${f.run}: tack ${f.command}: ${f.problem}${f.stderr ? `\n    ${f.stderr}` : ''}`);
}
process.exitCode = failures.length === 0 ? 0 : 1;
