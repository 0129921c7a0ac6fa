import type * as ChildProcess from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { isTackError, TackError } from '../model/errors.js';
import { lazyBuiltin } from '../model/lazyBuiltin.js';
import { sleepSync } from '../model/sleep.js';

const childProcess = lazyBuiltin<typeof ChildProcess>('node:child_process');

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
 * Start a git that lives across requests, with its input and output as pipes (the write
 * lane's `cat-file --batch`, see LiveCatFile). Objects held in memory are written first, as
 * for any git; the caller does the same before each request (`beforeGitRequest`).
 */
export function gitLive(args: string[], cwd: string): ChildProcess.ChildProcess {
  runHook();
  return childProcess().spawn('git', args, {
    cwd,
    env: { ...process.env, ...BASE_ENV },
    stdio: ['pipe', 'pipe', 'ignore'],
    windowsHide: true,
  });
}

/** Before a request to a git started by gitLive: what git must find is written first. */
export function beforeGitRequest(): void {
  runHook();
}

/**
 * gitIntoFile's output, but git runs to its end before the file is read: where /proc cannot
 * say whether a child has ended. A failure shows as output that ends early, as there.
 */
function gitToFile(args: string[], opts: IntoFile): BackgroundGit {
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
  return { finished: () => true, wait: () => {}, stop: () => {} };
}

/** Where git reads its input (a file, not a string: kept out of memory) and writes its output. */
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
  /** Stop git if it has not ended (its output is no longer wanted). */
  stop(): void;
}

/**
 * Whether child `pid` has ended, asked of Linux's /proc: its state is Z (ended, not yet
 * reaped) or it is gone. The event loop reaps a child and says 'exit' only when this thread
 * is idle, and a synchronous reader keeps it busy. Null where there is no /proc.
 */
function endedPerProc(pid: number): boolean | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? true : null;
  }
  // "pid (comm) S ...": comm may hold any character, so the state follows the last ')'.
  const state = stat.charAt(stat.lastIndexOf(')') + 2);
  return state === 'Z' || state === 'X';
}

let procReadable: boolean | undefined;

/**
 * Run git while this thread goes on, its output into the file at `path` (created): a
 * synchronous reader can use the output as git writes it instead of waiting for all of it
 * (BlobFile). Git starts as any child does; whether it has ended is read from /proc, so no
 * thread waits for it (a worker thread did: 20–30 MB, most of a bulk edit's peak on Node 24,
 * bench/README.md). Where there is no /proc, git runs to its end first (gitToFile). A
 * failure shows as output that ends early; the reader falls back.
 */
export function gitIntoFile(args: string[], opts: IntoFile): BackgroundGit {
  procReadable ??= endedPerProc(process.pid) === false;
  if (!procReadable) return gitToFile(args, opts);
  runHook();
  const input = openSync(opts.inputPath, 'r');
  let out: number | null = null;
  let child: ChildProcess.ChildProcess;
  try {
    out = openSync(opts.path, 'w');
    child = childProcess().spawn('git', args, {
      cwd: opts.cwd,
      env: { ...process.env, ...BASE_ENV },
      stdio: [input, out, 'ignore'],
      windowsHide: true,
    });
  } finally {
    // The child holds its own copies now (or there is no child).
    closeSync(input);
    if (out !== null) closeSync(out);
  }
  const pid = child.pid;
  let exited = pid === undefined;
  // No git to be had: it ended with no output, and the reader falls back.
  child.on('error', () => {
    exited = true;
  });
  // Once the event loop has reaped it, its pid may name another process: 'exit' says so first.
  child.once('exit', () => {
    exited = true;
  });
  child.unref();
  const finished = () => exited || endedPerProc(pid as number) !== false;
  return {
    finished,
    wait: (ms) => sleepSync(ms),
    stop: () => {
      if (!finished()) child.kill();
    },
  };
}
