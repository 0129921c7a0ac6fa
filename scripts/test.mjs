// `npm test` after the build: the type check, lint and layer check run beside vitest
// instead of before it (one process at a time, ~20 s of one core, which the end-to-end
// tests leave idle much of the time: they wait on git, servers and browsers). Their output
// is held and printed after the tests'; any failure fails the run. Arguments go to vitest.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Node's compile cache for every Node process of the run (vitest's workers, the servers and
// operation children the tests start): each loads the same modules again, and the machine is
// CPU-bound for the whole run. A directory of this run's own, so a run measures what CI does.
const compileCache = mkdtempSync(join(tmpdir(), 'tack-test-compile-'));
process.env.NODE_COMPILE_CACHE ??= compileCache;

function run(cmd, args, capture) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    if (capture) {
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
    }
    child.on('error', (e) => done({ code: 127, output: `${output}${e.message}\n` }));
    child.on('close', (code, signal) => done({ code: code ?? (signal ? 128 : 1), output }));
  });
}

async function checks() {
  const results = [];
  for (const script of ['typecheck', 'lint', 'lint:layers']) {
    results.push({ script, ...(await run('npm', ['run', '-s', script], true)) });
  }
  return results;
}

const [checked, tests] = await Promise.all([checks(), run('vitest', ['run', ...process.argv.slice(2)], false)]);
let failed = tests.code !== 0;
for (const c of checked) {
  const verdict = c.code === 0 ? 'passed' : `FAILED (exit ${c.code})`;
  process.stdout.write(`\nnpm run ${c.script}: ${verdict}\n${c.output.trimEnd()}\n`);
  if (c.code !== 0) failed = true;
}
rmSync(compileCache, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
