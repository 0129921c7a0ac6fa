// The store every bench measures: a git repository with a Tack store of N generated tickets,
// made through the library in batches of 1,000 creates (one commit per batch), so benches
// compare like with like. Usage:
//   const { dir, git, createMs } = await createBenchStore({ tickets: N });
// `dir` reuses a store already generated there (bench/indexSize.mjs --store DIR), so two
// builds of Tack can be measured on the very same store.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
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

/** Where ticket `id` is in a store of `layout` ('flat' or 'fanout'). */
export const ticketPath = (id, layout) =>
  layout === 'fanout' ? `tickets/${id.slice(3, 5)}/${id}.md` : `tickets/${id}.md`;

/** A ticket file as `tack create` writes it (a random id), with its path in `layout`. */
function ticketFile(t, layout) {
  let id = 'tk-';
  for (let k = 0; k < 8; k++) id += '0123456789abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 36)];
  const path = ticketPath(id, layout);
  const text = `---\nid: ${id}\ntitle: ${t.title}\ntype: task\nstatus: ${t.status}\npriority: ${t.priority}\nlabels: [${t.label.join(', ')}]\ncreated: 2026-11-21T10:00:00Z\nupdated: 2026-11-21T10:00:00Z\n---\n${t.description}`;
  return { path, text: `${text}\n`.replace(/\n\n$/, '\n') };
}

/**
 * `tickets` ticket files (benchTicket's) in one commit on the store branch, through one
 * `git fast-import`: 100,000 tickets in a minute or two rather than the best part of an
 * hour through Tack. The index is left to the next command (or `tack reindex`).
 */
export function fastImportTickets(dir, tickets, layout = 'flat') {
  const git = (...a) => execFileSync('git', a, { cwd: dir, env: benchEnv, encoding: 'utf8' }).trim();
  const parent = git('rev-parse', 'refs/heads/tack');
  const parts = [
    `commit refs/heads/tack\ncommitter Bench <bench@example.com> 1763719200 +0000\ndata 17\nbench: N tickets\nfrom ${parent}\n`,
  ];
  for (let i = 0; i < tickets; i++) {
    const f = ticketFile(benchTicket(i), layout);
    parts.push(`M 100644 inline ${f.path}\ndata ${Buffer.byteLength(f.text)}\n${f.text}\n`);
  }
  execFileSync('git', ['fast-import', '--quiet'], {
    cwd: dir,
    env: benchEnv,
    input: parts.join(''),
    maxBuffer: 1 << 30,
  });
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
 * `fast` writes the tickets with fastImportTickets instead of creating them through Tack.
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
  fast = false,
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
  if (fast) fastImportTickets(where, tickets, layout);
  else
    await runBatches(
      lib,
      where,
      Array.from({ length: tickets }, (_, i) => benchTicket(i)),
    );
  return { dir: where, git, createMs: Number(process.hrtime.bigint() - t0) / 1e6, reused: false };
}

/** Bytes of the files under a directory (e.g. a store's .git/objects). */
export function bytes(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? bytes(p) : statSync(p).size;
  }
  return n;
}
