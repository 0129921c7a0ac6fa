// The store every bench measures: a git repository with a Tack store of N generated tickets,
// made through the library in batches of 1,000 creates (one commit per batch), so benches
// compare like with like. Usage:
//   const { dir, git, createMs } = await createBenchStore({ tickets: N });
// `dir` reuses a store already generated there (bench/indexSize.mjs --store DIR), so two
// builds of Tack can be measured on the very same store.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const ROOT = resolve(new URL('.', import.meta.url).pathname, '..');

/** The environment benches run Tack and git in: a fixed user, no colour, no system git config. */
export const benchEnv = { ...process.env, TACK_USER: 'bench', NO_COLOR: '1', GIT_CONFIG_NOSYSTEM: '1' };

const WORDS =
  'parser lexer tokenizer comment trailing render board sync merge index query schema field label commit branch worktree vim web server agent review spec docs import export cache ranking snippet'.split(
    ' ',
  );
/** A word for ticket i's k-th slot, spread so titles and labels vary like real ones. */
export const pick = (i, k) => WORDS[(i * 7 + k * 13) % WORDS.length];
export const STATUSES = ['todo', 'backlog', 'in-progress', 'done', 'canceled', 'triage', 'in-review'];
const PRIORITIES = ['none', 'urgent', 'high', 'medium', 'low'];

/** Ticket i as a batch `create`: a title, two labels, a short description with a checklist. */
export function benchTicket(i) {
  return {
    op: 'create',
    title: `${pick(i, 1)} ${pick(i, 2)} ${pick(i, 3)} number ${i}`,
    status: STATUSES[i % STATUSES.length],
    priority: PRIORITIES[i % PRIORITIES.length],
    label: [pick(i, 4), pick(i, 5)],
    description: `The ${pick(i, 6)} ${pick(i, 7)} needs work on the ${pick(i, 8)}. #${pick(i, 9)}\n\n## Acceptance\n- [ ] ${pick(i, 10)} works\n`,
  };
}

/** The Tack build a bench measures: its library and its CLI. */
export function tackBuild(root = ROOT) {
  return { lib: require(join(root, 'dist', 'lib.cjs')), bin: join(root, 'bin', 'tack.cjs') };
}

/** Run batch operations through the library, 1,000 per commit. */
export async function runBatches(lib, dir, items) {
  const ctx = lib.createContext({ cwd: dir });
  try {
    for (let i = 0; i < items.length; i += 1000)
      await lib.runOp(ctx, 'batch', { operations: items.slice(i, i + 1000) });
  } finally {
    ctx.close();
  }
}

/**
 * A repository (branch `main`, one empty commit) with a Tack store of `tickets` generated
 * tickets. `inline` makes an inline store; `layout` 'fanout' stores tickets/<shard>/<id>.md
 * (`tack init --layout fanout`); `gitConfig` is set before anything is committed.
 * `createMs` is the time the tickets took to create (0 when an existing store was reused).
 */
export async function createBenchStore({
  tickets,
  dir,
  prefix = 'tack-bench-',
  inline = false,
  layout = 'flat',
  gitConfig = {},
  root = ROOT,
} = {}) {
  const reuse = dir !== undefined && existsSync(join(dir, '.git'));
  const where = dir ?? mkdtempSync(join(tmpdir(), prefix));
  const git = (...a) =>
    execFileSync('git', a, { cwd: where, env: benchEnv, encoding: 'utf8', maxBuffer: 1 << 30 }).trim();
  if (reuse) return { dir: where, git, createMs: 0, reused: true };
  mkdirSync(where, { recursive: true });
  const { lib, bin } = tackBuild(root);
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Bench');
  git('config', 'user.email', 'bench@example.com');
  for (const [key, value] of Object.entries(gitConfig)) git('config', key, value);
  git('commit', '-q', '--allow-empty', '-m', 'init');
  execFileSync(process.execPath, [bin, 'init', ...(inline ? ['--inline'] : []), '--layout', layout], {
    cwd: where,
    env: benchEnv,
  });
  const t0 = process.hrtime.bigint();
  await runBatches(
    lib,
    where,
    Array.from({ length: tickets }, (_, i) => benchTicket(i)),
  );
  return { dir: where, git, createMs: Number(process.hrtime.bigint() - t0) / 1e6, reused: false };
}
