/**
 * Entry of the child process that runs one operation that talks to a remote (dist/opProcess.cjs):
 * git runs synchronously, so a slow remote would hold the server's event loop; here it
 * holds only this child, which the server can kill. See remoteOps.ts.
 */
import { isTackError } from '../model/errors.js';
import { createContext } from '../ops/context.js';
import { nodeEffects } from '../effects/nodeEffects.js';
import { runOp } from '../ops/runOp.js';

export interface OpRequest {
  cwd: string;
  branch?: string;
  name: string;
  input: unknown;
  /** The server's bound on a blocking read (see OpContext.maxWaitMs). */
  maxWaitMs?: number;
}

export type OpReply =
  | { result: unknown }
  | { error: { code: string; message: string; details?: Record<string, unknown> } };

async function answer(req: OpRequest): Promise<OpReply> {
  const ctx = createContext({ effects: nodeEffects(), cwd: req.cwd, branch: req.branch, maxWaitMs: req.maxWaitMs });
  try {
    return { result: (await runOp(ctx, req.name, req.input)) ?? null };
  } catch (e) {
    if (isTackError(e)) return { error: e.toJSON() };
    return { error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } };
  } finally {
    ctx.close();
  }
}

process.once('message', (req: OpRequest) => {
  void answer(req).then((reply) => process.send!(reply, () => process.disconnect()));
});
