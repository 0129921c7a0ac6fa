import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { getPriority, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { TackError } from '../model/errors.js';
import { bundledChild } from './bundledChild.js';
import type { Index } from './indexDb.js';
import type { QueryReply, QueryRequest, QueryStarted } from './queryProcess.js';
import type { SqlRow } from './sqlConsole.js';

/** The default time limit of a query (`--timeout`, `git config tack.sql.timeout`). */
export const SQL_TIMEOUT_MS = 5000;

const running = new Set<ChildProcess>();
let exitHook = false;

/** Kill every query still running (a server that is stopping, a process that exits). */
export function stopQueries(): void {
  for (const c of running) c.kill('SIGKILL');
  running.clear();
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/**
 * A `--at` snapshot lives in memory, out of a child's reach: write it to a temporary file
 * the child can open (VACUUM INTO works with any SQLite binding).
 */
function fileOf(idx: Index): { path: string; cleanup(): void } {
  if (idx.path !== ':memory:') return { path: idx.path, cleanup() {} };
  const dir = mkdtempSync(join(tmpdir(), 'tack-sql-'));
  const path = join(dir, 'snapshot.db');
  idx.db.exec(`VACUUM INTO '${path.replace(/'/g, "''")}'`);
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Run one read-only statement in a child process with a time limit: past `timeoutMs`, or
 * when `signal` aborts, the child is killed and the query fails with a `timeout` error,
 * so a runaway query never holds up the caller (nor the server's event loop meanwhile).
 */
export async function queryBounded(
  idx: Index,
  sql: string,
  params: readonly unknown[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<SqlRow[]> {
  signal?.throwIfAborted();
  const file = fileOf(idx);
  try {
    return await inChild({ path: file.path, sql, params: [...params], timeoutMs }, timeoutMs, signal);
  } finally {
    file.cleanup();
  }
}

/**
 * How long a query process may take to start (Node, the bundle, the index) before its own
 * time limit begins: generous, because it runs niced and a loaded machine serves it last.
 */
const START_LIMIT_MS = 30_000;

/** How much less CPU a query gets than the tracker's own work when both want a core (nice). */
const QUERY_NICENESS = 10;

/**
 * A long query competes with the server's reads and writes for the machine's cores: it
 * runs at a lower priority, so it takes what they leave (an idle machine runs it as fast).
 */
function lowerPriority(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    setPriority(child.pid, Math.min(19, getPriority() + QUERY_NICENESS));
  } catch {
    // Not permitted here (some containers): the query runs at the same priority, as before.
  }
}

function inChild(req: QueryRequest, timeoutMs: number, signal?: AbortSignal): Promise<SqlRow[]> {
  if (!exitHook) {
    exitHook = true;
    process.once('exit', stopQueries);
  }
  return new Promise((resolve, reject) => {
    const child = fork(bundledChild('queryProcess.cjs'), [], {
      execArgv: [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    running.add(child);
    lowerPriority(child);
    let stderr = '';
    let settled = false;
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString();
    });
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      running.delete(child);
      if (child.exitCode === null) child.kill('SIGKILL');
      f();
    };
    const stop = (why: string) =>
      finish(() => reject(new TackError('timeout', why, { timeout_ms: timeoutMs, sql: req.sql })));
    // The limit is the statement's: it starts once the child is about to run it.
    let timer = setTimeout(
      () => stop(`the query process did not start within ${seconds(START_LIMIT_MS)} (the machine is overloaded)`),
      START_LIMIT_MS,
    );
    const begin = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          stop(
            `the query ran longer than ${seconds(timeoutMs)} and was stopped; simplify it, or allow more time with --timeout (git config tack.sql.timeout)`,
          ),
        timeoutMs,
      );
    };
    const onAbort = () =>
      stop(
        `the query was stopped: ${String((signal?.reason as Error | undefined)?.message ?? signal?.reason ?? 'aborted')}`,
      );
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('message', (m: QueryReply | QueryStarted) =>
      'started' in m
        ? begin()
        : finish(() => {
            if ('rows' in m) resolve(m.rows as SqlRow[]);
            else reject(new TackError(m.error.code as never, m.error.message, m.error.details));
          }),
    );
    child.once('error', (e) =>
      finish(() => reject(new TackError('internal', `cannot run the query process: ${e.message}`))),
    );
    child.once('close', (code, sig) =>
      finish(() =>
        reject(
          new TackError(
            'internal',
            `the query process ended without an answer (${sig ?? `exit ${code}`}): ${stderr.trim().slice(0, 500)}`,
          ),
        ),
      ),
    );
    child.send(req);
  });
}
