import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { checkSignatures, verifyRefs, type SignatureReport } from './signatureCheck.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

function summary(r: SignatureReport): string {
  const c = r.counts;
  const total = r.commits.length;
  const head = `${total} commit${total === 1 ? '' : 's'} of ${r.refs.join(', ')}: ${c.good} good, ${c.unsigned} unsigned, ${c.bad} bad, ${c.unknown} unverifiable${c.expired ? `, ${c.expired} expired` : ''}`;
  const mode = r.sign
    ? `signing is on${r.sign_since ? ` since ${r.sign_since.slice(0, 8)}` : ''}`
    : 'signing is off (`tack config sign true` turns it on)';
  const lines = r.problems.map(
    (p) => `  ${p.sha.slice(0, 8)} ${p.problem}: ${p.subject}${p.op ? '' : ' (not a Tack commit)'}`,
  );
  return [`${head}; ${mode}`, ...lines].join('\n');
}

/**
 * Check the signatures of the store's history with git's own verification (gpg keyring,
 * gpg.ssh.allowedSignersFile). Fails when a commit made after `tack config sign true`
 * is unsigned or cannot be verified, when any signature is bad, or (--strict) when any
 * commit at all is unsigned.
 */
export default defineOp({
  name: 'verify',
  summary:
    "Check the signatures of the store's commits: unsigned, good, bad (fails on what signing should have prevented)",
  kind: 'read',
  cli: { args: ['rev'] },
  input: z.object({
    rev: z.string().min(1).optional().describe("history to check: a revision or range (default: the store's branch)"),
    all: z.boolean().optional().describe('also check the plan branches'),
    strict: z.boolean().optional().describe('fail on any unsigned commit, even from before signing was turned on'),
  }),
  output: lazyShape(() => {
    const verdict = z.enum(['good', 'expired', 'unknown', 'bad', 'unsigned']);
    const checked = z.strictObject({
      sha: z.string(),
      code: z.enum(['G', 'U', 'X', 'Y', 'R', 'E', 'B', 'N']),
      signer: z.string(),
      key: z.string(),
      subject: z.string(),
      op: z.string().nullable(),
      verdict,
      required: z.boolean(),
      problem: z.string().nullable(),
    });
    return z.strictObject({
      ok: z.boolean(),
      sign: z.boolean(),
      sign_since: z.string().nullable(),
      refs: z.array(z.string()),
      counts: z.record(verdict, z.number()),
      commits: z.array(checked),
      problems: z.array(checked),
      message: z.string(),
    });
  }),
  async run(ctx, input) {
    const store = ctx.store();
    const report = checkSignatures(store, verifyRefs(store, input.rev, input.all === true), input.strict === true);
    const message = summary(report);
    if (!report.ok)
      throw new TackError(
        'check_failed',
        `tack verify: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}\n${message}`,
        { ...report },
      );
    return { ...report, message };
  },
});
