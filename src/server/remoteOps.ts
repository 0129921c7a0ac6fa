import { TackError } from '../model/errors.js';
import { Lane } from './lane.js';
import { forkOp, killTree, type OpChild } from './opChild.js';
import type { OpReply, OpRequest } from './opProcess.js';
import { notRunWhileStopping } from './stopSignal.js';

/*
 * Operations that fetch from or push to a remote (REMOTE_OPS): in the server they run in
 * a child process, so a slow remote never stalls other requests. Their writes are still one
 * commit each, behind the store's writer lock and compare-and-swap, like any process's.
 */
export { REMOTE_OPS } from '../ops/runOp.js';

/**
 * Reads that run local git themselves (objects, refs, history beyond the index): in the
 * server they run in the read lane, so their git never holds the event loop. So does any
 * read of a past revision (an `at` input). The other reads answer from the index alone.
 */
export const GIT_READS: ReadonlySet<string> = new Set([
  'branch-list',
  'brief',
  'merge-file',
  'reservations',
  'reviews',
  'schema-show',
  'validate',
  'verify',
  'view-list',
  'workspace-list',
]);

/**
 * Reads of every ticket the request selects, whole (an export of the store: ~2 s and its whole
 * text at 100,000 tickets): in the read lane too, so the event loop only receives the answer.
 * So does any read asked for all of its answer (`limit=0`): at 100,000 tickets a search for a
 * common word held the loop 3.5 s, a list of every open ticket 1 s.
 */
export const WHOLE_STORE_READS: ReadonlySet<string> = new Set(['export']);

/** Does this read run in the read lane (GIT_READS, WHOLE_STORE_READS, an unbounded answer, or a past revision)? */
export function readsInLane(name: string, input: Record<string, unknown>): boolean {
  return (
    GIT_READS.has(name) ||
    WHOLE_STORE_READS.has(name) ||
    input.limit === 0 ||
    (typeof input.at === 'string' && input.at !== '')
  );
}

const running = new Set<OpChild>();

/** Set while the server stops: a request that comes meanwhile starts no child. */
let closing = false;

/** The server starts: its children and lanes may run (again, after an earlier server in this process stopped). */
export function openRemoteOps(): void {
  closing = false;
}

/**
 * The server stops: every operation running in a child is killed, as are the read and
 * refresh lanes; the write lane answers the writes it has begun, within `writeGraceMs`
 * (see Lane.close). Requests that come meanwhile are refused (`unavailable`).
 */
export async function stopRemoteOps(writeGraceMs = 0): Promise<void> {
  closing = true;
  for (const c of running) killTree(c);
  running.clear();
  await Promise.all([...lanes.values()].map((l) => l.close(writeGraceMs)));
  lanes.clear();
}

export type LaneName = 'write' | 'read' | 'refresh';
const lanes = new Map<LaneName, Lane>();

/**
 * Run `req` in the server's long-lived lane `name` (see Lane). Only the read lane stops what
 * is past its deadline: a refresh cut short would start over for every request after it.
 */
export function runInLane(name: LaneName, req: OpRequest, signal?: AbortSignal): Promise<unknown> {
  if (closing && !lanes.has(name)) return Promise.reject(notRunWhileStopping(req.name));
  let lane = lanes.get(name);
  if (!lane) {
    lane = new Lane(name === 'read');
    lanes.set(name, lane);
  }
  return lane.run(req, signal);
}

/**
 * Settles when the write lane next answers (it has then indexed its commit); null when it
 * has nothing in hand. A ref moved by the lane's own write needs no refresh elsewhere.
 */
export function writeLaneAnswer(): Promise<void> | null {
  return lanes.get('write')?.nextAnswer() ?? null;
}

/** Run a local write in the server's write lane: one commit per operation, in arrival order. */
export function runWriteInWorker(req: OpRequest, signal?: AbortSignal): Promise<unknown> {
  return runInLane('write', req, signal);
}

/** Run `req` in a child process; when `signal` aborts, the child is killed and the call fails with its reason. */
export function runOpInChild(req: OpRequest, signal?: AbortSignal): Promise<unknown> {
  signal?.throwIfAborted();
  if (closing) return Promise.reject(notRunWhileStopping(req.name));
  return new Promise((resolve, reject) => {
    const child = forkOp();
    running.add(child);
    let stderr = '';
    let settled = false;
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString();
    });
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      running.delete(child);
      // Its git too: an answered child has none left, an abandoned one may be waiting on a remote.
      killTree(child);
      f();
    };
    const onAbort = () => finish(() => reject(signal?.reason ?? new TackError('timeout', `${req.name} was stopped`)));
    signal?.addEventListener('abort', onAbort, { once: true });
    child.once('message', (m: OpReply) =>
      finish(() => {
        if ('result' in m) resolve(m.result);
        else reject(new TackError(m.error.code as never, m.error.message, m.error.details));
      }),
    );
    child.once('error', (e) =>
      finish(() => reject(new TackError('internal', `cannot run ${req.name} in a child process: ${e.message}`))),
    );
    child.once('close', (code, sig) =>
      finish(() =>
        reject(
          closing
            ? new TackError('unavailable', `the server stopped while ${req.name} ran; it was cut short: try again`)
            : new TackError(
                'internal',
                `${req.name} ended without an answer (${sig ?? `exit ${code}`}): ${stderr.trim().slice(0, 500)}`,
              ),
        ),
      ),
    );
    child.send(req);
  });
}
