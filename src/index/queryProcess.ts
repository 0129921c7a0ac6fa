/**
 * Entry of the child process that runs one read-only SQL query (dist/queryProcess.cjs).
 * SQLite cannot be interrupted from JavaScript mid-statement, so a query that must be
 * stoppable runs here, where the parent can kill it; see boundedQuery.ts.
 *
 * The statement runs in a worker thread of this child, so the child's main thread stays
 * free to notice that its parent is gone (the IPC channel closes) and to keep its own
 * deadline: the child ends even when its parent was killed (SIGKILL) or cannot kill it.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { isTackError } from '../model/errors.js';
import type { Index } from './indexDb.js';
import { queryReadOnly } from './sqlConsole.js';

export interface QueryRequest {
  path: string;
  sql: string;
  params: unknown[];
  /** The parent's time limit: the child ends by itself at this plus QUERY_DEADLINE_MARGIN_MS. */
  timeoutMs: number;
}

export type QueryReply =
  | { rows: unknown[] }
  | { error: { code: string; message: string; details?: Record<string, unknown> } };

/** Sent once the statement is about to run: the time limit counts from here, not from the fork. */
export interface QueryStarted {
  started: true;
}

/** How long past its time limit a child waits for its parent to kill it before it ends itself. */
export const QUERY_DEADLINE_MARGIN_MS = 2000;

function answer(req: QueryRequest, started: () => void): QueryReply {
  try {
    started();
    // queryReadOnly opens its own read-only connection on a file index: only the path is used.
    return { rows: queryReadOnly({ path: req.path } as Index, req.sql, req.params) };
  } catch (e) {
    if (isTackError(e)) return { error: e.toJSON() };
    return { error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } };
  }
}

/**
 * End now. Not process.exit(): it joins the worker thread, which a statement running in
 * SQLite never lets go (measured: process.exit waits for the statement to end).
 */
function die(): void {
  process.kill(process.pid, 'SIGKILL');
}

function run(req: QueryRequest): void {
  let done = false;
  const reply = (r: QueryReply) => {
    if (done) return;
    done = true;
    clearTimeout(deadline);
    process.send!(r, () => process.disconnect());
  };
  // Unref'd: a child whose query has answered exits without waiting for it. The limit counts
  // from the statement's start (a child niced on a loaded machine may take seconds to get
  // there); until then the parent's start-up limit applies and the IPC channel ends us.
  // (setTimeout fires at once past 2^31-1 ms: a longer limit waits that long.)
  let deadline: NodeJS.Timeout | undefined;
  const worker = new Worker(__filename, { workerData: req });
  worker.on('message', (m: QueryReply | QueryStarted) => {
    if (!('started' in m)) return reply(m);
    deadline = setTimeout(die, Math.min(Math.max(0, req.timeoutMs) + QUERY_DEADLINE_MARGIN_MS, 2 ** 31 - 1));
    deadline.unref();
    process.send!(m);
  });
  worker.once('error', (e) => reply({ error: { code: 'internal', message: `the query thread failed: ${e.message}` } }));
  worker.once('exit', (code) =>
    reply({ error: { code: 'internal', message: `the query thread ended (exit ${code})` } }),
  );
  // The parent is gone (killed, or done with us): a query still running is not waited for.
  process.once('disconnect', () => {
    if (!done) die();
  });
  if (!process.connected) die();
  // And should the channel's end not reach this thread (it was seen not to, twice in 1,400
  // runs on Node 24 under a saturated machine): a child whose parent died is reparented.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent && !done) die();
  }, ORPHAN_CHECK_MS).unref();
}

/** How often the child looks whether its parent still lives (a getppid call). */
const ORPHAN_CHECK_MS = 500;

if (!isMainThread)
  parentPort!.postMessage(
    answer(workerData as QueryRequest, () => parentPort!.postMessage({ started: true } satisfies QueryStarted)),
  );
else process.once('message', run);
