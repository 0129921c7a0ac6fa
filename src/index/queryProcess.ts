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

/** How long past its time limit a child waits for its parent to kill it before it ends itself. */
export const QUERY_DEADLINE_MARGIN_MS = 2000;

function answer(req: QueryRequest): QueryReply {
  try {
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
  // Unref'd: a child whose query has answered exits without waiting for it.
  // (setTimeout fires at once past 2^31-1 ms: a longer limit waits that long.)
  const deadline = setTimeout(die, Math.min(Math.max(0, req.timeoutMs) + QUERY_DEADLINE_MARGIN_MS, 2 ** 31 - 1));
  deadline.unref();
  const worker = new Worker(__filename, { workerData: req });
  worker.once('message', reply);
  worker.once('error', (e) => reply({ error: { code: 'internal', message: `the query thread failed: ${e.message}` } }));
  worker.once('exit', (code) =>
    reply({ error: { code: 'internal', message: `the query thread ended (exit ${code})` } }),
  );
  // The parent is gone (killed, or done with us): a query still running is not waited for.
  process.once('disconnect', () => {
    if (!done) die();
  });
}

if (!isMainThread) parentPort!.postMessage(answer(workerData as QueryRequest));
else process.once('message', run);
