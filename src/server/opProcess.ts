/**
 * Entry of the child processes that run operations off the server's event loop
 * (dist/opProcess.cjs): git runs synchronously, so a slow remote, or a write's git work
 * and lock waits, would hold the server's event loop; here they hold only this child.
 * One operation that talks to a remote per child (the server kills it past its deadline),
 * or, with TACK_OP_WORKER=1, the server's local writes one after the other in arrival
 * order (see lane.ts).
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { isTackError } from '../model/errors.js';
import type { Provenance } from '../model/provenance.js';
import { createContext } from '../ops/context.js';
import { nodeEffects } from '../effects/nodeEffects.js';
import type { OpContext } from '../ops/op.js';
import { runOp, wholeRowsOf, type WholeRows } from '../ops/runOp.js';
import { pageFrom } from '../ops/page.js';
import { groupable, runWriteGroup, type GroupedOutcome } from '../ops/writeGroup.js';
import { notRunWhileStopping } from './stopSignal.js';
import { prepareAnswer, type PreparedAnswer } from './preparedAnswer.js';
import { sendRows, STREAM_ROWS, type ReplyAck } from './streamedReply.js';

export interface OpRequest {
  cwd: string;
  branch?: string;
  name: string;
  input: unknown;
  /** The server's bound on a blocking read (see OpContext.maxWaitMs). */
  maxWaitMs?: number;
  /** If-Match: the ticket version the write was computed against (see OpContext.ifVersion). */
  ifVersion?: { ticket: string; version: string };
  /** Who asks for the write, when the sender knows better than its environment (an MCP client). */
  provenance?: Provenance;
  /** The write worker's number for this request, echoed in its reply. */
  seq?: number;
  /** No operation: bring the index up to date with the ref and the checked-out files (git runs here). */
  refresh?: boolean;
  /** No operation: one live sync pass of a connection (`only`: the issues a webhook named). */
  pass?: { kind: string; only?: string[] };
  /** Answer with the text the server sends (PreparedAnswer), not the value: the read lane's. */
  prepare?: boolean;
}

/** From the server to its write lane: refuse the requests not begun (the server stops). */
export interface LaneDrop {
  drop: true;
}

export type OpReply = (
  | { result: unknown }
  | { error: { code: string; message: string; details?: Record<string, unknown> } }
) & { seq?: number };

function errorReply(e: unknown): OpReply {
  if (isTackError(e)) return { error: e.toJSON() };
  return { error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } };
}

/** At most this many writes go together: the first of them waits for the last. */
const MAX_GROUP = 16;

/** The next request alone, or the ticket edits of one store queued behind it. */
function takeGroup(queue: OpRequest[]): OpRequest[] {
  const first = queue.shift()!;
  const group = [first];
  const plainEdit = (r: OpRequest) => !r.refresh && !r.pass && groupable(r.name, r.input);
  if (!plainEdit(first)) return group;
  while (
    group.length < MAX_GROUP &&
    queue.length > 0 &&
    plainEdit(queue[0]) &&
    queue[0].cwd === first.cwd &&
    queue[0].branch === first.branch &&
    sameWriter(queue[0], first)
  )
    group.push(queue.shift()!);
  return group;
}

/** Writes go together only with the same provenance: a commit's trailers and gates name one writer. */
function sameWriter(a: OpRequest, b: OpRequest): boolean {
  return JSON.stringify(a.provenance ?? null) === JSON.stringify(b.provenance ?? null);
}

/**
 * The lane's store writes as the request's sender says (none said: as this process's
 * environment says, as the sender's own would). Set for each request: the store lives on.
 */
function actAs(base: OpContext, req: OpRequest): void {
  try {
    base.store().provenance = req.provenance;
  } catch {
    // no store: the operation answers that
  }
}

/** The lane's long-lived context, with this request's deadline and If-Match. */
function requestContext(base: OpContext, req: OpRequest): OpContext {
  return { ...base, maxWaitMs: req.maxWaitMs, ifVersion: req.ifVersion };
}

/** A streamed answer's child waits for the server to take each part (see streamedReply.ts). */
const acks = new Map<number, () => void>();

/**
 * All of a read's rows, asked for by the server: from STREAM_ROWS on, sent a part at a time
 * (streamedReply.ts; the reply that follows ends them); fewer, as one prepared answer cut
 * from the same rows (the operation is not run again for it).
 */
async function answerRows(ctx: OpContext, seq: number, rows: WholeRows): Promise<PreparedAnswer | null> {
  const total = rows.source.count();
  if (total - rows.offset < STREAM_ROWS)
    return prepareAnswer((await ctx.index()).db, pageFrom({ limit: 0, offset: rows.offset }, 0, rows.source));
  await sendRows(
    ctx,
    seq,
    rows,
    total,
    (m) => process.send!(m),
    () => new Promise((r) => acks.set(seq, r)),
  );
  return null;
}

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
    if (req.prepare && req.seq !== undefined) {
      const rows = await wholeRowsOf(ctx, req.name, req.input);
      if (rows) return { result: await answerRows(ctx, req.seq, rows) };
    }
    const result = (await runOp(ctx, req.name, req.input)) ?? null;
    return { result: req.prepare ? prepareAnswer((await ctx.index()).db, result) : result };
  } catch (e) {
    return errorReply(e);
  }
}

if (isMainThread && process.env.TACK_OP_WORKER === '1') {
  // One context for the server's life, as the server's own: the store and index stay open.
  const contexts = new Map<string, ReturnType<typeof createContext>>();
  const contextOf = (req: OpRequest) => {
    const key = `${req.cwd}\u0000${req.branch ?? ''}`;
    let base = contexts.get(key);
    if (!base) {
      base = createContext({ effects: nodeEffects(), cwd: req.cwd, branch: req.branch });
      contexts.set(key, base);
    }
    return base;
  };
  const queue: OpRequest[] = [];
  let draining: Promise<void> | null = null;
  // In arrival order, one at a time; the ticket edits that queued up while the last ran go
  // together (runWriteGroup): one commit each, one ref update for all.
  const drain = async () => {
    while (queue.length > 0) {
      // Let the requests already on their way in join the queue (the last write ran synchronously).
      await new Promise((resolve) => setImmediate(resolve));
      if (queue.length === 0) break; // refused meanwhile: the server stops
      const group = takeGroup(queue);
      const base = contextOf(group[0]);
      actAs(base, group[0]);
      if (group.length === 1) {
        const req = group[0];
        process.send!({ ...(await answer(requestContext(base, req), req)), seq: req.seq });
        continue;
      }
      const writes = group.map((req) => ({ ctx: requestContext(base, req), name: req.name, input: req.input }));
      let outcomes: GroupedOutcome[];
      try {
        outcomes = await runWriteGroup(base, writes);
      } catch (error) {
        outcomes = group.map(() => ({ ok: false, error }));
      }
      for (const [i, o] of outcomes.entries())
        process.send!({ ...(o.ok ? { result: o.value } : errorReply(o.error)), seq: group[i].seq });
    }
    draining = null;
  };
  process.on('message', (m: OpRequest | LaneDrop | ReplyAck) => {
    if ('ack' in m) {
      const taken = acks.get(m.ack);
      acks.delete(m.ack);
      taken?.();
      return;
    }
    if ('drop' in m) {
      // The server stops: the writes not begun are refused; the one in hand finishes (see Lane.close).
      for (const req of queue.splice(0)) {
        const { code, message } = notRunWhileStopping(req.name);
        process.send!({ error: { code, message }, seq: req.seq });
      }
      return;
    }
    queue.push(m);
    draining ??= drain();
  });
  // The server is gone: nothing keeps this process alive once its contexts are closed.
  process.on('disconnect', () => {
    void (draining ?? Promise.resolve()).finally(() => {
      for (const c of contexts.values()) c.close();
    });
  });
} else if (!isMainThread) {
  const req = workerData as OpRequest;
  const ctx = createContext({ effects: nodeEffects(), cwd: req.cwd, branch: req.branch, maxWaitMs: req.maxWaitMs });
  actAs(ctx, req);
  void answer(ctx, req)
    .finally(() => ctx.close())
    .then((reply) => parentPort!.postMessage(reply));
} else {
  // The operation runs in a worker thread: git runs synchronously there, and this thread
  // stays free to notice that the server is gone (even killed with SIGKILL) and to end the
  // operation then, with the git it runs (this child leads its process group, opChild.ts).
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
