import { monotonicMs } from '../model/monotonic.js';
import { BUSY_TIMEOUT_MS, capWriteWait } from '../index/sqlite.js';
import type { Provenance } from '../model/provenance.js';
import type { OpContext, OpDef } from '../ops/op.js';
import { anyInputSet, reachesRemote, runOp } from '../ops/runOp.js';
import { offLoopIndex } from './freshIndex.js';
import { settledWithin, WRITE_GRACE_MS } from './stopSignal.js';
import { readsInLane, runInLane, runOpInChild, runWriteInWorker, stopRemoteOps, writeLaneAnswer } from './remoteOps.js';

/*
 * Where an operation runs in a long-lived process (`tack serve`, `tack mcp`), so that git,
 * lock waits and long reads never hold its event loop: one rule for both surfaces.
 */

/** A child of its own (reaches a remote), the write lane, the read lane, or this process (index reads). */
export type Placement = 'child' | 'write' | 'read' | 'here';

/**
 * Does this call commit? A write that writes only when asked (OpDef.writesWith: `sql`
 * without `write`) is a read otherwise, run here in its own killable child and stopped with
 * the request: in the write lane a runaway query held every write behind it.
 */
export function commits(op: OpDef, input: Record<string, unknown>): boolean {
  return op.kind === 'write' && (!op.writesWith || anyInputSet(op.writesWith, input));
}

export function placementOf(op: OpDef, input: Record<string, unknown>): Placement {
  if (reachesRemote(op, input)) return 'child';
  if (commits(op, input)) return 'write';
  if (readsInLane(op.name, input)) return 'read';
  return 'here';
}

export interface PlacedCall {
  /** The plan branch served (the global --branch). */
  branch?: string;
  /** The bound on a blocking read (OpContext.maxWaitMs). */
  maxWaitMs?: number;
  /** A read lane's answer as the text the server sends (PreparedAnswer), not the value. */
  prepare?: boolean;
}

/**
 * Run `op` where placementOf says. What may commit carries the writer's provenance (an MCP
 * client names its harness in `initialize`), so its commit and its gates see who asked, not
 * the process that runs it. Past `ctx.signal`, a read is stopped and a write is answered in its turn.
 */
export function runPlaced(
  ctx: OpContext,
  op: OpDef,
  input: Record<string, unknown>,
  call: PlacedCall = {},
): Promise<unknown> {
  const req = { cwd: ctx.cwd, branch: call.branch, name: op.name, input, maxWaitMs: call.maxWaitMs };
  switch (placementOf(op, input)) {
    case 'child':
      // A claim or a sync commits too: as the caller.
      return runOpInChild({ ...req, provenance: writerOf(ctx) }, ctx.signal);
    case 'write':
      return runWriteInWorker({ ...req, ifVersion: ctx.ifVersion, provenance: writerOf(ctx) }, ctx.signal);
    case 'read':
      return runInLane('read', { ...req, prepare: call.prepare }, ctx.signal);
    default:
      return runOp({ ...ctx, maxWaitMs: call.maxWaitMs ?? ctx.maxWaitMs }, op.name, input);
  }
}

/** The provenance this process set for its writes, if any (else the lane's environment says, as here). */
function writerOf(ctx: OpContext): Provenance | undefined {
  try {
    return ctx.store().provenance;
  } catch {
    return undefined; // no store: the lane answers that
  }
}

/**
 * A long-lived surface's context: its index is brought up to date in the refresh lane, never
 * on its event loop (offLoopIndex); a ref moved by its own write lane waits for that answer.
 */
export function laneContext<C extends OpContext>(ctx: C, branch?: string): C {
  capWriteWait(BUSY_TIMEOUT_MS);
  return offLoopIndex(
    ctx,
    () => runInLane('refresh', { cwd: ctx.cwd, branch, name: 'refresh', input: {}, refresh: true }),
    writeLaneAnswer,
  );
}

/**
 * The surface stops: children and the read lanes are stopped now; the writes begun are
 * finished and answered within WRITE_GRACE_MS (killed after its commit, a write lands
 * unanswered, and a client that sends it again makes it twice). `answered` settles once the
 * surface has sent the answers in hand (must not reject).
 */
export async function stopPlacedRuns(answered: () => Promise<unknown> = async () => {}): Promise<void> {
  const until = monotonicMs() + WRITE_GRACE_MS;
  await stopRemoteOps(WRITE_GRACE_MS);
  // Their answers reach the client too, within what is left of the grace.
  await settledWithin(answered(), Math.max(0, until - monotonicMs()));
}
