/**
 * Entry of the child processes that run operations off the server's event loop
 * (dist/opProcess.cjs): git runs synchronously, so a slow remote, or a write's git work
 * and lock waits, would hold the server's event loop; here they hold only this child.
 * One operation that talks to a remote per child (the server kills it past its deadline),
 * or, with TACK_OP_WORKER=1, the server's local writes one after the other in arrival
 * order (see remoteOps.ts).
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { isTackError } from '../model/errors.js';
import { createContext } from '../ops/context.js';
import { nodeEffects } from '../effects/nodeEffects.js';
import type { OpContext } from '../ops/op.js';
import { runOp } from '../ops/runOp.js';

export interface OpRequest {
  cwd: string;
  branch?: string;
  name: string;
  input: unknown;
  /** The server's bound on a blocking read (see OpContext.maxWaitMs). */
  maxWaitMs?: number;
  /** If-Match: the ticket version the write was computed against (see OpContext.ifVersion). */
  ifVersion?: { ticket: string; version: string };
  /** The write worker's number for this request, echoed in its reply. */
  seq?: number;
  /** No operation: bring the index up to date with the ref and the checked-out files (git runs here). */
  refresh?: boolean;
  /** No operation: one live sync pass of a connection (`only`: the issues a webhook named). */
  pass?: { kind: string; only?: string[] };
}

export type OpReply = (
  | { result: unknown }
  | { error: { code: string; message: string; details?: Record<string, unknown> } }
) & { seq?: number };

async function answer(ctx: OpContext, req: OpRequest): Promise<OpReply> {
  try {
    if (req.refresh) {
      await ctx.index();
      return { result: null };
    }
    if (req.pass) {
      const { runLivePass } = await import('../connectors/connectorsEntry.js');
      return { result: await runLivePass(ctx, req.pass.kind, req.pass.only) };
    }
    return { result: (await runOp(ctx, req.name, req.input)) ?? null };
  } catch (e) {
    if (isTackError(e)) return { error: e.toJSON() };
    return { error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } };
  }
}

if (isMainThread && process.env.TACK_OP_WORKER === '1') {
  // One context for the server's life, as the server's own: the store and index stay open.
  const contexts = new Map<string, ReturnType<typeof createContext>>();
  let turn: Promise<unknown> = Promise.resolve();
  process.on('message', (req: OpRequest) => {
    const key = `${req.cwd}\u0000${req.branch ?? ''}`;
    let base = contexts.get(key);
    if (!base) {
      base = createContext({ effects: nodeEffects(), cwd: req.cwd, branch: req.branch });
      contexts.set(key, base);
    }
    const ctx: OpContext = { ...base, maxWaitMs: req.maxWaitMs, ifVersion: req.ifVersion };
    // In arrival order, one at a time: one commit per operation, as the server received them.
    turn = turn.then(() => answer(ctx, req).then((reply) => process.send!({ ...reply, seq: req.seq })));
  });
  // The server is gone: nothing keeps this process alive once its contexts are closed.
  process.on('disconnect', () => {
    void turn.finally(() => {
      for (const c of contexts.values()) c.close();
    });
  });
} else if (!isMainThread) {
  const req = workerData as OpRequest;
  const ctx = createContext({ effects: nodeEffects(), cwd: req.cwd, branch: req.branch, maxWaitMs: req.maxWaitMs });
  void answer(ctx, req)
    .finally(() => ctx.close())
    .then((reply) => parentPort!.postMessage(reply));
} else {
  // The operation runs in a worker thread: git runs synchronously there, and this thread
  // stays free to notice that the server is gone (even killed with SIGKILL) and to end the
  // operation then, with the git it runs (this child leads its process group, remoteOps.ts).
  process.once('message', (req: OpRequest) => {
    let answered = false;
    const reply = (r: OpReply) => {
      if (answered) return;
      answered = true;
      process.send!(r, () => process.disconnect());
    };
    const worker = new Worker(__filename, { workerData: req });
    worker.once('message', reply);
    worker.once('error', (e) => reply({ error: { code: 'internal', message: `${req.name} failed: ${e.message}` } }));
    worker.once('exit', (code) =>
      reply({ error: { code: 'internal', message: `${req.name} ended without an answer (exit ${code})` } }),
    );
    process.once('disconnect', () => {
      if (!answered) endGroup();
    });
  });
}

/** End this child and what it started (process.exit would wait for a thread inside git). */
function endGroup(): void {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    process.kill(process.pid, 'SIGKILL'); // not a group leader (Windows)
  }
}
