import { TackError } from '../model/errors.js';
import type { OpContext, OpDef } from './op.js';
import type { RowSource } from './page.js';
import { describeIssue } from './inputIssue.js';
import { findOp } from './registry.js';

export async function loadOp(name: string): Promise<OpDef> {
  const entry = findOp(name);
  if (!entry) throw new TackError('unknown_command', `unknown operation "${name}"`);
  return (await entry.load()).default as OpDef;
}

/** Validate `input` with the operation's zod schema and run it: how every surface calls an op. */
export async function runOp<T = unknown>(ctx: OpContext, name: string, input: unknown): Promise<T> {
  const op = await loadOp(name);
  return (await op.run(ctx, validInput(op, input) as never)) as T;
}

function validInput(op: OpDef, input: unknown): unknown {
  const res = op.input.safeParse(input ?? {});
  if (res.success) return res.data;
  const issue = res.error.issues[0];
  throw new TackError('invalid_input', `${op.name}: ${issue.path.join('.') || 'input'}: ${describeIssue(issue)}`, {
    issues: res.error.issues,
  });
}

/** The rows of a read asked for all of its answer, from where they start. */
export interface WholeRows {
  source: RowSource<unknown>;
  offset: number;
}

/**
 * A read asked for all of its answer (`limit` 0) that can give its rows as they are read
 * (OpDef.rows): its rows, for a surface to write as they come; undefined for any other call.
 * `input` is valid already (`valid`) or checked here.
 */
export async function wholeRowsOf(
  ctx: OpContext,
  op: OpDef | string,
  input: unknown,
  valid = false,
): Promise<WholeRows | undefined> {
  const def = typeof op === 'string' ? await loadOp(op) : op;
  if (!def.rows || (input as { limit?: unknown } | null)?.limit !== 0) return undefined;
  const checked = (valid ? input : validInput(def, input)) as { offset?: number };
  const source = await def.rows(ctx, checked as never);
  return source && { source, offset: checked.offset ?? 0 };
}

/**
 * Operations that fetch from or push to a remote: the server runs them in a child process;
 * no surface holds the writer lock for them across the network (their commits take it).
 */
export const REMOTE_OPS = new Set(['sync', 'claim', 'claim-next', 'release', 'claims', 'status']);

/**
 * Does this call reach a remote: an operation that does, or a read given an input that makes
 * it fetch (OpDef.postOnly)? Long-running surfaces run such a call in a child process.
 */
export function reachesRemote(op: OpDef, input: Record<string, unknown>): boolean {
  return REMOTE_OPS.has(op.name) || (!!op.postOnly && anyInputSet(op.postOnly, input));
}

/** One of these inputs is given and not false (query strings carry booleans as text). */
export function anyInputSet(keys: readonly string[], input: Record<string, unknown>): boolean {
  return keys.some((k) => input[k] !== undefined && input[k] !== false && input[k] !== 'false');
}
