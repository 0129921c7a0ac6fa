import { TackError } from '../model/errors.js';
import type { OpContext, OpDef } from './op.js';
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
  const res = op.input.safeParse(input ?? {});
  if (!res.success) {
    const issue = res.error.issues[0];
    throw new TackError('invalid_input', `${name}: ${issue.path.join('.') || 'input'}: ${describeIssue(issue)}`, {
      issues: res.error.issues,
    });
  }
  return (await op.run(ctx, res.data as never)) as T;
}
