import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { discoverRepo } from '../git/repo.js';
import { openStore } from '../store/store.js';
import { getMeta, indexPath } from '../index/indexDb.js';
import { openDatabase } from '../index/sqlite.js';
import { err } from './output.js';

/**
 * The V8 flag a lean process runs with: a young generation of 1 MiB a half instead of 16,
 * and collections that favour a small heap. It can only be given when node starts.
 */
const LEAN_NODE_FLAG = '--optimize-for-size';

/**
 * Node 24's V8 optimizes hot code twice, with Maglev and then TurboFan (Node 22's has Maglev
 * off): both compilers' code pages and work memory count in the process. A lean process there
 * stops at Maglev: a full build at 100,000 tickets peaked 9–12 MiB lower in the same CPU time
 * (bench/README.md). On Node 22 the same flag would leave only the baseline compiler.
 */
export function leanNodeFlags(nodeMajor = Number(process.versions.node.split('.')[0])): string[] {
  return nodeMajor >= 24 ? [LEAN_NODE_FLAG, '--max-opt=2'] : [LEAN_NODE_FLAG];
}

/**
 * Commands that read every ticket of the store, whatever the index holds. `validate` does
 * only with `--all`: by default it checks the commits not yet validated (a hook's few; but
 * all of history the first time: see neverValidated). An export is of every ticket unless
 * filtered (100,000 tickets: 132–181 MiB as started, 103–109 lean, in 5–12 % more time). A
 * schema rename rewrites every ticket with the state or field (14,319 at 100,000: 248 MiB as
 * started, 146–148 lean, in 20–40 % more time).
 */
function readsWholeStore(rest: string[]): boolean {
  const [word] = rest;
  return (
    word === 'reindex' ||
    word === 'doctor' ||
    word === 'export' ||
    (word === 'validate' && rest.includes('--all')) ||
    (word === 'schema' && (rest[1] === 'rename-state' || rest[1] === 'rename-field')) ||
    asksEveryRow(rest)
  );
}

/**
 * `--limit 0` (`-n 0`): a read asked for all of its answer, which may be every ticket. Its
 * rows are written as they are read, yet node's defaults still let a search for a common
 * word at 100,000 tickets reach 228 MiB on Node 24 (88 lean, in 3.8 s instead of 2.6).
 */
function asksEveryRow(rest: string[]): boolean {
  return rest.some(
    (a, i) => a === '--limit=0' || a === '-n0' || ((a === '--limit' || a === '-n') && /^0+$/.test(rest[i + 1] ?? '')),
  );
}

/** Writes that take a list of tickets (`label add ID LABEL --also ID…` counts its words too). */
const BULK_WRITES = new Set(['close', 'reopen', 'label', 'delete']);

/**
 * Past this many words, such a write edits enough tickets for a lean process to pay: it holds
 * a batch of them at a time (TicketEditor.each), and lean, their garbage goes as it comes (a
 * reopen of 34,000 at 100,000 tickets: 183 MiB instead of 271, see bench/README.md).
 */
const LEAN_WRITE_WORDS = 1_000;

function writesMany(rest: string[]): boolean {
  return BULK_WRITES.has(rest[0]) && rest.length > LEAN_WRITE_WORDS;
}

/**
 * No validation recorded in the index: a plain `validate` reads the whole history (a
 * pre-push hook's first run on a large store peaked at 174–184 MiB at 100,000 tickets).
 * Any doubt (an index that does not open) answers no: the command runs as started.
 */
function neverValidated(index: string): boolean {
  try {
    const db = openDatabase(index, { readonly: true });
    try {
      return getMeta(db, 'validated') === null;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}

/**
 * Never relaunched: long-lived commands keep the runtime's defaults (their latency, not their
 * peak, matters), and these others build no index (`merge-file` runs as git's merge driver).
 */
const AS_STARTED = new Set(['serve', 'watch', 'mcp', 'init', 'setup', 'merge-file', 'completion']);

/**
 * Packs at least this large hold a store whose full read is worth a lean process (a
 * 100,000-ticket store packs to ~32 MiB; 10,000 to ~3). Below it the relaunch's ~50 ms
 * would cost more than the memory it saves.
 */
const LEAN_STORE_BYTES = 16 * 1024 * 1024;

/**
 * An import source this large holds enough records for a lean process to pay: a beads export
 * of 10,000 issues (~9 MiB) peaked at 164–171 MiB in node's defaults and 97–98 lean, in 15 %
 * more time (4.9 s instead of 4.3); one of 1,000 (~1 MiB) stays near node's own baseline.
 */
const LEAN_IMPORT_BYTES = 4 * 1024 * 1024;

/** Set in the relaunched process's environment; says whether MALLOC_ARENA_MAX was ours. */
const MARK = 'TACK_LEAN';

export interface LeanArgs {
  cwd: string;
  branch?: string;
  /** The command's words and arguments, global flags taken out. */
  rest: string[];
  help: boolean;
  version: boolean;
}

/**
 * A full index build, `doctor` and `validate --all` read every ticket once: at 100,000 tickets
 * Node's defaults let such a process reach 220 MiB (Node 24: 350), most of it a young
 * generation sized for throughput, the pages V8 pools after collections and one malloc
 * arena per thread. When such work is about to run on a large store, the CLI replaces
 * itself (execve: same pid, same descriptors, nothing done yet) with node started lean:
 * `--optimize-for-size` and `MALLOC_ARENA_MAX=1` (glibc reads it only at start). Measured
 * in bench/README.md; the reasons in docs/decisions.md. Returns only when it does not
 * relaunch.
 */
export function relaunchLean(args: LeanArgs, env: NodeJS.ProcessEnv = process.env): void {
  if (env[MARK] !== undefined) {
    forgetMark(env);
    return;
  }
  if (process.execArgv.includes(LEAN_NODE_FLAG) || typeof process.execve !== 'function') return;
  if (!needsLean(args, env)) return;
  const next: NodeJS.ProcessEnv = { ...env, [MARK]: env.MALLOC_ARENA_MAX === undefined ? 'arena' : 'kept' };
  if (env.MALLOC_ARENA_MAX === undefined) next.MALLOC_ARENA_MAX = '1';
  // A failed execve aborts node instead of throwing: a binary that is gone or not
  // executable (replaced by an upgrade mid-run) leaves the command to run as started.
  try {
    accessSync(process.execPath, constants.X_OK);
  } catch {
    return;
  }
  process.execve(
    process.execPath,
    [process.execPath, ...process.execArgv, ...leanNodeFlags(), ...process.argv.slice(1)],
    next,
  );
}

/** The relaunched process: git and other children get the environment the user gave. */
function forgetMark(env: NodeJS.ProcessEnv): void {
  if (env[MARK] === 'arena') delete env.MALLOC_ARENA_MAX;
  delete env[MARK];
  if (env.TACK_DEBUG) err(`tack: relaunched lean: node ${process.execArgv.join(' ')}\n`);
}

function needsLean(args: LeanArgs, env: NodeJS.ProcessEnv): boolean {
  const word = args.rest[0];
  if (word === undefined || word === 'help' || args.help || args.version || AS_STARTED.has(word)) return false;
  try {
    if (word === 'import') return importsLarge(args, env);
    const repo = discoverRepo(args.cwd);
    if (packBytes(repo.commonDir) < leanBytes(env, 'TACK_LEAN_STORE_BYTES', LEAN_STORE_BYTES)) return false;
    if (readsWholeStore(args.rest) || writesMany(args.rest)) return true;
    // Any other command builds the index whole when there is none yet (a fresh clone).
    const index = indexPath(openStore(args.cwd, args.branch));
    if (!existsSync(index)) return true;
    return word === 'validate' && neverValidated(index);
  } catch {
    return false; // not a store, or unreadable: the command itself says so
  }
}

/** `tack import KIND SOURCE`: a large source file (a folder is a Backlog.md project, read whole either way). */
function importsLarge(args: LeanArgs, env: NodeJS.ProcessEnv): boolean {
  const source = args.rest.slice(1).filter((a) => !a.startsWith('-'))[1];
  if (source === undefined) return false;
  const st = statSync(resolve(args.cwd, source));
  return st.isFile() && st.size >= leanBytes(env, 'TACK_LEAN_IMPORT_BYTES', LEAN_IMPORT_BYTES);
}

/** `TACK_LEAN_STORE_BYTES` and `TACK_LEAN_IMPORT_BYTES` move the thresholds (tests relaunch on small data with them). */
function leanBytes(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const n = Number(env[name]);
  return env[name] !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : fallback;
}

function packBytes(commonDir: string): number {
  const dir = join(commonDir, 'objects', 'pack');
  let total = 0;
  for (const name of readdirSync(dir)) if (name.endsWith('.pack')) total += statSync(join(dir, name)).size;
  return total;
}
