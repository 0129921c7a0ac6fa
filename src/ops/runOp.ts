import { TackError } from '../model/errors.js';
import type { OpContext, OpDef } from './op.js';
import { describeIssue } from './inputIssue.js';
import { findOp } from './registry.js';
import { inWriterTurn } from '../store/storeWriter.js';

export async function loadOp(name: string): Promise<OpDef> {
  const entry = findOp(name);
  if (!entry) throw new TackError('unknown_command', `unknown operation "${name}"`);
  return (await entry.load()).default as OpDef;
}

/** Validate `input` with the operation's zod schema and run it: how every surface calls an op. */
export async function runOp<T = unknown>(ctx: OpContext, name: string, input: unknown): Promise<T> {
  const op = await loadOp(name);
  const res = op.input.safeParse(input ?? {});
  if (!res.success) {
    const issue = res.error.issues[0];
    throw new TackError('invalid_input', `${name}: ${issue.path.join('.') || 'input'}: ${describeIssue(issue)}`, {
      issues: res.error.issues,
    });
  }
  return (await op.run(ctx, res.data as never)) as T;
}

/**
 * Operations that fetch from or push to a remote: the server runs them in a child process;
 * no surface holds the writer lock for them across the network (their commits take it).
 */
export const REMOTE_OPS = new Set(['sync', 'claim', 'claim-next', 'release', 'claims', 'status']);

/**
 * runOp for long-running processes (server, MCP): a local write first waits its turn at the
 * store's writer lock without blocking the event loop (see inWriterTurn), so a CLI or a
 * sync child committing meanwhile holds up that write alone, not every request.
 */
export async function runOpInTurn<T = unknown>(ctx: OpContext, name: string, input: unknown): Promise<T> {
  const op = await loadOp(name);
  if (op.kind !== 'write' || REMOTE_OPS.has(name)) return runOp<T>(ctx, name, input);
  return inWriterTurn(ctx.store(), () => runOp<T>(ctx, name, input), ctx.signal);
}
