import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TackError } from '../model/errors.js';
import type { OpReply, OpRequest } from './opProcess.js';

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

/** Does this read run git (GIT_READS, or an input naming a past revision)? */
export function readsGit(name: string, input: Record<string, unknown>): boolean {
  return GIT_READS.has(name) || (typeof input.at === 'string' && input.at !== '');
}

const running = new Set<ChildProcess>();

function childEntry(): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [join(here, 'opProcess.cjs'), join(here, '..', '..', 'dist', 'opProcess.cjs')];
  const found = candidates.find((c) => existsSync(c));
  if (!found)
    throw new TackError(
      'internal',
      `dist/opProcess.cjs is missing (looked in ${candidates.join(', ')}); run \`npm run build\``,
    );
  return found;
}

/*
 * The children lead process groups of their own (POSIX), so a kill reaches the git they run
 * and what git runs (ssh, a remote's upload-pack): killing the child alone left those
 * running until the remote answered. The server stops them all when it stops.
 */
const OWN_GROUP = process.platform !== 'win32';

function forkOp(env?: NodeJS.ProcessEnv, stderr: 'pipe' | 'inherit' = 'pipe'): ChildProcess {
  return fork(childEntry(), [], { execArgv: [], stdio: ['ignore', 'ignore', stderr, 'ipc'], env, detached: OWN_GROUP });
}

/** Kill `child` and every process it started. */
function killTree(child: ChildProcess): void {
  if (OWN_GROUP && child.pid !== undefined) {
    try {
      process.kill(-child.pid, 'SIGKILL');
      return;
    } catch {
      // the group is gone already: the child alone, if it is not
    }
  }
  child.kill('SIGKILL');
}

/** Kill every operation still running in a child, and the long-lived lanes (the server stops). */
export function stopRemoteOps(): void {
  for (const c of running) killTree(c);
  running.clear();
  for (const l of lanes.values()) l.stop();
  lanes.clear();
}

/**
 * A long-lived child that runs the requests it is sent one after the other, in arrival
 * order. The server's local writes run in one (the write lane), so their git work and lock
 * waits never hold the event loop. A request past its deadline abandons its answer, never
 * its write (one commit, or none). If the child dies, the requests it had not answered fail
 * (`internal`: a write may or may not be in git, as with a crash) and the next request
 * starts a new child. Reads that run git, and index refreshes, have lanes of their own so
 * they never wait behind writes, nor writes behind them.
 */
class Lane {
  private child: ChildProcess | null = null;
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();

  private start(): ChildProcess {
    const child = forkOp({ ...process.env, TACK_OP_WORKER: '1' }, 'inherit');
    child.on('message', (m: OpReply) => {
      const w = m.seq === undefined ? undefined : this.waiting.get(m.seq);
      if (!w || m.seq === undefined) return;
      this.waiting.delete(m.seq);
      if ('result' in m) w.resolve(m.result);
      else w.reject(new TackError(m.error.code as never, m.error.message, m.error.details));
    });
    const lost = (why: string) => {
      if (this.child === child) this.child = null;
      for (const w of this.waiting.values())
        w.reject(new TackError('internal', `the server's worker process ended (${why}) before answering`));
      this.waiting.clear();
    };
    child.once('exit', (code, sig) => lost(sig ?? `exit ${code}`));
    child.once('error', (e) => lost(e.message));
    return child;
  }

  run(req: OpRequest, signal?: AbortSignal): Promise<unknown> {
    signal?.throwIfAborted();
    this.child ??= this.start();
    const seq = ++this.seq;
    const answer = new Promise((resolve, reject) => this.waiting.set(seq, { resolve, reject }));
    this.child.send({ ...req, seq });
    if (!signal) return answer;
    // Past the deadline the client is answered; the write itself goes on in its turn.
    return Promise.race([
      answer,
      new Promise((_, reject) =>
        signal.addEventListener(
          'abort',
          () => reject(signal.reason ?? new TackError('timeout', `${req.name} timed out`)),
          {
            once: true,
          },
        ),
      ),
    ]);
  }

  stop(): void {
    if (this.child) killTree(this.child);
    this.child = null;
  }
}

export type LaneName = 'write' | 'read' | 'refresh';
const lanes = new Map<LaneName, Lane>();

/** Run `req` in the server's long-lived lane `name` (see Lane). */
export function runInLane(name: LaneName, req: OpRequest, signal?: AbortSignal): Promise<unknown> {
  let lane = lanes.get(name);
  if (!lane) {
    lane = new Lane();
    lanes.set(name, lane);
  }
  return lane.run(req, signal);
}

/** Run a local write in the server's write lane: one commit per operation, in arrival order. */
export function runWriteInWorker(req: OpRequest, signal?: AbortSignal): Promise<unknown> {
  return runInLane('write', req, signal);
}

/** Run `req` in a child process; when `signal` aborts, the child is killed and the call fails with its reason. */
export function runOpInChild(req: OpRequest, signal?: AbortSignal): Promise<unknown> {
  signal?.throwIfAborted();
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
          new TackError(
            'internal',
            `${req.name} ended without an answer (${sig ?? `exit ${code}`}): ${stderr.trim().slice(0, 500)}`,
          ),
        ),
      ),
    );
    child.send(req);
  });
}
