import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, afterEach, inject } from 'vitest';
import { join } from 'node:path';
import { initRepo, initStore, TACK_BIN } from './storeTemplates.js';
import { testEnv } from './testEnv.js';
import { sleepSync } from '../src/model/sleep.js';
import { inProcess, runInProcess, runInProcessAsync } from './inProcessCli.js';

/** The most a test reads from one process's output (spawnSync's default, 1 MiB, cut exports short). */
const MAX_OUTPUT = 256 * 1024 * 1024;

export { TACK_BIN } from './storeTemplates.js';
export { NO_HARNESS, testEnv } from './testEnv.js';

export function sh(cwd: string, cmd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync(cmd, args, { cwd, env: testEnv(env), encoding: 'utf8', maxBuffer: MAX_OUTPUT });
}

export function git(cwd: string, ...args: string[]): string {
  return sh(cwd, 'git', args).trim();
}

/**
 * A fresh temp dir holding a copy of `kind`'s template from the global setup, or, without
 * templates (no build), one built in place as the template would have been.
 */
function freshCopy(kind: 'repo' | 'branch' | 'inline', prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const templates = inject('storeTemplates');
  if (templates) cpSync(templates[kind], dir, { recursive: true });
  else if (kind === 'repo') initRepo(dir, testEnv());
  else initStore(dir, testEnv(), kind === 'inline');
  return { dir, cleanup: () => removeTempDir(dir) };
}

/** How long removing a temp dir keeps trying while something still writes under it. */
const REMOVE_DEADLINE_MS = 30_000;

/**
 * Remove a test's temp dir, retrying: a process the test started (a server's lane, a
 * background scan a git hook began) may still be writing under it, and rmdir then fails
 * with ENOTEMPTY. On a loaded CI machine such a scan took longer than rmSync's own retries
 * (about 3 s), so this waits until a deadline instead; it only waits while removal fails.
 */
export function removeTempDir(dir: string): void {
  const deadline = Date.now() + REMOVE_DEADLINE_MS;
  for (;;) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code !== 'ENOTEMPTY' && code !== 'EBUSY' && code !== 'EPERM') || Date.now() > deadline) throw e;
      sleepSync(200);
    }
  }
}

/** A fresh git repository with one commit and a local identity, in a temp dir. */
export function tempRepo(prefix = 'tack-test-'): { dir: string; cleanup: () => void } {
  return freshCopy('repo', prefix);
}

export interface TackResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Run the built CLI as a user would: its `main` in this test process's CLI worker (see
 * inProcessCli.ts), or, for a long-running command or with TACK_TEST_PROCESSES=1, a process.
 */
export function tackRaw(cwd: string, args: string[], env: Record<string, string> = {}, input?: string): TackResult {
  if (inProcess(args, env)) return runInProcess(cwd, args, testEnv(env), input);
  return tackProcess(cwd, args, env, input);
}

/** Run bin/tack.cjs in a process of its own (what tackRaw does for commands that need one). */
export function tackProcess(cwd: string, args: string[], env: Record<string, string> = {}, input?: string): TackResult {
  // Big answers (an export to stdout) are a test's to check, not a buffer's to cut off.
  const res = spawnSync(process.execPath, [TACK_BIN, ...args], {
    cwd,
    env: testEnv(env),
    encoding: 'utf8',
    input,
    maxBuffer: MAX_OUTPUT,
  });
  if (res.error) throw new Error(`tack ${args.join(' ')} could not run to its end: ${res.error.message}`);
  return { status: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

/** Run the CLI and fail loudly unless it exits 0. */
export function tack(cwd: string, ...args: string[]): string {
  const r = tackRaw(cwd, args);
  if (r.status !== 0) throw new Error(`tack ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Run the CLI with --json and parse stdout. */
/** `tack import KIND SOURCE --json` (plus options), failing the test with tack's stderr. */
export function tackImport(cwd: string, kind: string, source: string, ...more: string[]): any {
  const r = tackRaw(cwd, ['import', kind, source, '--json', ...more]);
  if (r.status !== 0) throw new Error(`tack import exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/**
 * A fresh store and an export file beside it, in a directory of their own, imported once as
 * `kind`: what the importer tests start from. `cleanup` removes both.
 */
export function importedStore(
  kind: string,
  name: string,
  content: string | Buffer,
): { dir: string; file: string; first: any; cleanup: () => void } {
  const store = tempStore();
  const side = mkdtempSync(join(tmpdir(), 'tack-export-'));
  const file = join(side, name);
  writeFileSync(file, content);
  const cleanup = () => {
    store.cleanup();
    rmSync(side, { recursive: true, force: true });
  };
  return { dir: store.dir, file, first: tackImport(store.dir, kind, file), cleanup };
}

export function tackJson<T = any>(cwd: string, ...args: string[]): T {
  return JSON.parse(tack(cwd, ...args, '--json')) as T;
}

/** Run the CLI without blocking (for tests that run several processes at once). */
export function tackAsync(cwd: string, args: string[], env: Record<string, string> = {}): Promise<TackResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [TACK_BIN, ...args], { cwd, env: testEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ status: code ?? -1, stdout, stderr }));
  });
}

/**
 * Run the CLI without blocking this process, one command at a time: for tests whose stand-in
 * servers answer from this process. In-process as tackRaw is; tackAsync starts processes.
 */
export function tackAwait(cwd: string, args: string[], env: Record<string, string> = {}): Promise<TackResult> {
  if (inProcess(args, env)) return runInProcessAsync(cwd, args, testEnv(env));
  return tackAsync(cwd, args, env);
}

/** tackJson without blocking (in-process, as tackAwait): `--json` added, the answer parsed, a failure thrown with tack's stderr. */
export async function tackJsonAsync<T = any>(cwd: string, ...args: string[]): Promise<T> {
  const r = await tackAwait(cwd, [...args, '--json']);
  if (r.status !== 0) throw new Error(`tack ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

export interface TackFailure {
  status: number;
  stdout: string;
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** Run the CLI with --json expecting it to fail; returns the parsed `{"error":{...}}` from stderr. */
export function tackFail(cwd: string, ...args: string[]): TackFailure {
  const r = tackRaw(cwd, [...args, '--json']);
  if (r.status === 0) throw new Error(`tack ${args.join(' ')} was expected to fail but exited 0: ${r.stdout}`);
  let parsed: { error: TackFailure['error'] };
  try {
    parsed = JSON.parse(
      r.stderr
        .trim()
        .split('\n')
        .find((l) => l.startsWith('{"error"')) ?? r.stderr,
    ) as { error: TackFailure['error'] };
  } catch {
    throw new Error(`tack ${args.join(' ')} exited ${r.status} without a JSON error on stderr: ${r.stderr}`);
  }
  return { status: r.status, stdout: r.stdout, error: parsed.error };
}

/** A temp repository with a Tack store already initialised (branch mode unless `inline`). */
export function tempStore(opts: { inline?: boolean; prefix?: string } = {}): { dir: string; cleanup: () => void } {
  return freshCopy(opts.inline ? 'inline' : 'branch', opts.prefix ?? 'tack-test-');
}

/**
 * A store that `build` fills once per test file (the fixture several tests start from), copied
 * afresh for each call: every test still gets a store of its own to change, while the fixture's
 * tack processes run once instead of once per test. Call it inside tests (it builds lazily);
 * the returned copy is removed after the test, the original after the file.
 */
export function storeFixture<T>(build: (dir: string) => T, opts: { inline?: boolean } = {}): () => T & { dir: string } {
  const f = fixtureCopies<T>(opts);
  return () => f.copy(f.original() ?? f.keep(build(f.fresh())));
}

/** storeFixture for a fixture built by async steps (a stand-in server in this process answers them). */
export function storeFixtureAsync<T>(
  build: (dir: string) => Promise<T>,
  opts: { inline?: boolean } = {},
): () => Promise<T & { dir: string }> {
  const f = fixtureCopies<T>(opts);
  return async () => f.copy(f.original() ?? f.keep(await build(f.fresh())));
}

function fixtureCopies<T>(opts: { inline?: boolean }) {
  let store: { dir: string; cleanup: () => void } | null = null;
  let made: { value: T } | null = null;
  const copies: string[] = [];
  afterEach(() => {
    while (copies.length) removeTempDir(copies.pop()!);
  });
  afterAll(() => store?.cleanup());
  return {
    original: () => made,
    /** A new store for the fixture (one left by a build that failed is dropped). */
    fresh: () => {
      store?.cleanup();
      store = tempStore({ inline: opts.inline, prefix: 'tack-fixture-' });
      return store.dir;
    },
    keep: (value: T) => (made = { value }),
    copy: (m: { value: T }): T & { dir: string } => {
      const dir = mkdtempSync(join(tmpdir(), 'tack-test-'));
      copies.push(dir);
      cpSync(store!.dir, dir, { recursive: true });
      return { ...m.value, dir };
    },
  };
}

/** `git rev-parse --verify` of a revision, or null when it does not exist. */
export function revParse(cwd: string, rev: string): string | null {
  const r = spawnSync('git', ['rev-parse', '--verify', '--quiet', rev], { cwd, env: testEnv(), encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Registers an afterEach that undoes what the test set up (temp repos, files). */
export function trackCleanups(): (cleanup: () => void) => void {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    while (cleanups.length) cleanups.pop()!();
  });
  return (cleanup) => {
    cleanups.push(cleanup);
  };
}

/** Poll `fn` every 50 ms until it returns something truthy; fail after `ms` naming `what`. */
export async function waitFor<T>(what: string, fn: () => T | null | undefined | false, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
