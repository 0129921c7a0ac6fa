import type * as ChildProcess from 'node:child_process';
import type * as WorkerThreads from 'node:worker_threads';
import { closeSync, openSync } from 'node:fs';
import { isTackError, TackError } from '../model/errors.js';
import { lazyBuiltin } from '../model/lazyBuiltin.js';

const childProcess = lazyBuiltin<typeof ChildProcess>('node:child_process');
const workerThreads = lazyBuiltin<typeof WorkerThreads>('node:worker_threads');

/** The only way Tack runs git. Synchronous: the CLI is one short process. */
export interface GitOptions {
  cwd: string;
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  /** Exit codes that are answers, not failures (e.g. 1 for "not found"). */
  okCodes?: number[];
  /** Git's output goes to this open file instead of memory (an answer larger than memory should hold). */
  stdoutFd?: number;
  /** Git reads its input from this open file instead of `input` (a large input kept out of memory). */
  stdinFd?: number;
}

export interface GitResult {
  status: number;
  stdout: Buffer;
  stderr: string;
}

const BASE_ENV = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_OPTIONAL_LOCKS: '0',
  // Plumbing output is parsed; keep git from paging or translating.
  GIT_PAGER: 'cat',
  LC_ALL: 'C',
};

let hook: (() => void) | null = null;
let inHook = false;

/**
 * Run `fn` before every git process this process starts, until set to null: objects a group
 * of writes holds in memory are written first, so git never misses one (see pendingObjects.ts).
 */
export function beforeEachGit(fn: (() => void) | null): void {
  hook = fn;
}

function runHook(): void {
  if (!hook || inHook) return;
  inHook = true;
  try {
    hook();
  } finally {
    inHook = false;
  }
}

export function gitRaw(args: string[], opts: GitOptions): GitResult {
  runHook();
  // No process can take a NUL in an argument: say which value, not Node's "args[4]".
  const nul = args.find((a) => a.includes('\0'));
  if (nul !== undefined)
    throw new TackError(
      'invalid_input',
      `${JSON.stringify(nul)} contains a NUL character, which no git name or path can hold; nothing was run`,
      { received: nul },
    );
  const res = childProcess().spawnSync('git', args, {
    cwd: opts.cwd,
    input: opts.input,
    env: { ...process.env, ...BASE_ENV, ...opts.env },
    maxBuffer: 1024 * 1024 * 1024,
    windowsHide: true,
    stdio: [opts.stdinFd ?? 'pipe', opts.stdoutFd ?? 'pipe', 'pipe'],
  });
  // EPIPE: git ran and exited before reading all of its input; its status and message say why.
  const ranAndExited = (res.error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE' && res.status !== null;
  if (res.error && !ranAndExited) {
    throw new TackError(
      'git_failed',
      `could not run git: ${res.error.message}; expected git to be installed and on PATH`,
    );
  }
  const status = res.status ?? 128;
  const stderr = res.stderr ? res.stderr.toString('utf8') : '';
  if (status !== 0 && !(opts.okCodes ?? []).includes(status)) {
    if (/Please tell me who you are|unable to auto-detect email address|empty ident name/.test(stderr)) {
      throw new TackError(
        'git_identity_missing',
        'git does not know who you are, and every Tack change is a commit with an author; set it with ' +
          '`git config --global user.name "Your Name"` and `git config --global user.email you@example.com`',
      );
    }
    throw new TackError('git_failed', `git ${args[0]} failed (exit ${status}): ${stderr.trim() || 'no message'}`, {
      args,
      status,
      stderr: stderr.trim(),
    });
  }
  return { status, stdout: res.stdout ?? Buffer.alloc(0), stderr };
}

export function git(args: string[], opts: GitOptions): string {
  return gitRaw(args, opts).stdout.toString('utf8');
}

/**
 * Start git in the background and do not wait for it (housekeeping such as `gc --auto`):
 * it outlives the command, its output goes nowhere, and a failure to start is ignored
 * because nothing depends on it.
 */
export function gitDetached(args: string[], cwd: string): void {
  runHook();
  try {
    const child = childProcess().spawn('git', args, {
      cwd,
      env: { ...process.env, ...BASE_ENV },
      stdio: 'ignore',
      detached: true,
      windowsHide: true,
    });
    child.on('error', () => {});
    child.unref();
  } catch {
    // housekeeping is best effort
  }
}

/**
 * gitIntoFile's output without the thread: git runs to its end, then the file is read. For a
 * caller whose peak memory matters more than the time git and it could overlap (a worker
 * thread is 20–30 MB). A failure shows as output that ends early, as there.
 */
export function gitToFile(args: string[], opts: IntoFile): BackgroundGit {
  const input = openSync(opts.inputPath, 'r');
  try {
    const out = openSync(opts.path, 'w');
    try {
      gitRaw(args, { cwd: opts.cwd, stdinFd: input, stdoutFd: out });
    } catch (err) {
      if (!isTackError(err)) throw err;
    } finally {
      closeSync(out);
    }
  } finally {
    closeSync(input);
  }
  return { finished: () => true, wait: () => {} };
}

/** Where git reads its input (a file, not a string: kept out of both threads' memory) and writes its output. */
export interface IntoFile {
  cwd: string;
  inputPath: string;
  path: string;
}

/** A git run by gitIntoFile: whether it has ended, and a way to wait a little for it. */
export interface BackgroundGit {
  finished(): boolean;
  /** Block this thread up to `ms` or until git ends. */
  wait(ms: number): void;
}

/** How long gitIntoFile waits for its worker thread to open the output file. */
const START_BOUND_MS = 10_000;

// Runs in a worker thread: the synchronous spawn blocks that thread, not the caller's; the
// caller reads the output file as it grows. The worker opens and closes the file itself
// (state 2 once it is open), so no thread closes a descriptor another opened.
const INTO_FILE_WORKER = `
const { workerData: w } = require('node:worker_threads');
const fs = require('node:fs');
const state = new Int32Array(w.state);
let fd = null;
let input = null;
try {
  fd = fs.openSync(w.path, 'w');
  input = fs.openSync(w.inputPath, 'r');
  Atomics.store(state, 0, 2);
  Atomics.notify(state, 0);
  require('node:child_process').spawnSync('git', w.args, {
    cwd: w.cwd, env: w.env, stdio: [input, fd, 'ignore'], windowsHide: true,
  });
} finally {
  if (input !== null) fs.closeSync(input);
  if (fd !== null) fs.closeSync(fd);
  Atomics.store(state, 0, 1);
  Atomics.notify(state, 0);
}`;

/**
 * Run git while this thread goes on, its output into the file at `path` (created): a
 * synchronous reader can use the output as git writes it instead of waiting for all of it
 * (BlobFile). Returns once the file is open, so the caller may unlink it then. A failure
 * shows as output that ends early; the reader falls back.
 */
export function gitIntoFile(args: string[], opts: IntoFile): BackgroundGit {
  runHook();
  const state = new Int32Array(new SharedArrayBuffer(4));
  const worker = new (workerThreads().Worker)(INTO_FILE_WORKER, {
    eval: true,
    workerData: {
      args,
      cwd: opts.cwd,
      inputPath: opts.inputPath,
      path: opts.path,
      env: { ...process.env, ...BASE_ENV },
      state: state.buffer,
    },
  });
  worker.unref();
  // A worker that never starts (no thread to be had) must not hang the caller: past the bound
  // git counts as finished with no output, and the reader falls back.
  const bound = Date.now() + START_BOUND_MS;
  while (Atomics.load(state, 0) === 0 && Date.now() < bound) Atomics.wait(state, 0, 0, 50);
  const started = Atomics.load(state, 0) !== 0;
  return {
    finished: () => !started || Atomics.load(state, 0) === 1,
    wait: (ms) => void Atomics.wait(state, 0, 2, ms),
  };
}
