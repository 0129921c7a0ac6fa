import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { firstStateOf } from '../model/schema.js';
import { listTickets } from '../index/queries.js';
import { idArg } from './ticketInput.js';
import { editorEnv } from './applyEnv.js';
import { applyComment } from './comment.js';
import { readyState, REVIEW_MARK, requireAgentSchema } from './agentShared.js';
import { openReviews } from './submit.js';
import type { TicketEditor } from './ticketEditor.js';
import { releaseFinished } from './claimShared.js';
import { submitterOf } from './gates.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';
import { lazyShape, ticketSummariesShape } from '../model/jsonShapes.js';

/** The work ticket and its open review ticket, from either of them. */
function pair(ed: TicketEditor, id: string): { work: string; review: string | null } {
  const t = ed.ticket(id);
  if (t.type === 'review') {
    const work = t.relations.reviews?.[0];
    if (!work)
      throw new TackError(
        'invalid_input',
        `review ticket ${id} names no work (its "reviews" is empty); expected one made by \`tack submit\``,
        { id },
      );
    return { work, review: id };
  }
  const review = openReviews(ed.index.db, ed.schema, id)[0] ?? null;
  if (!review && t.status !== 'in-review') {
    throw new TackError(
      'invalid_input',
      `ticket ${id} is ${t.status} and has no open review; expected work submitted with \`tack submit\``,
      { id, status: t.status },
    );
  }
  return { work: id, review };
}

/**
 * The human's decision on submitted work. Approve completes the work (and its review
 * ticket); reject sends the work back to ready with the reason as a comment. The verdict
 * is kept in the work's front matter (`verdict:`) for `tack list --reviewed`.
 */
export default defineOp({
  name: 'review',
  summary: 'Approve or reject submitted work (the work or its review ticket), with a reason',
  kind: 'write',
  destructive: false,
  idempotent: false,
  cli: { args: ['id', 'verdict', 'reason'] },
  input: z.object({
    id: idArg,
    verdict: z.enum(['approve', 'reject']).describe('approve or reject'),
    reason: z.string().trim().optional().describe('why (required to reject)'),
  }),
  output: lazyShape(() =>
    z.strictObject({
      verdict: z.enum(['approved', 'rejected']),
      reason: z.string().nullable(),
      work: z.string(),
      review: z.string().nullable(),
      released: z.array(z.string()),
      tickets: ticketSummariesShape(),
      commit: z.string().nullable(),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    if (input.verdict === 'reject' && !input.reason) {
      throw new TackError('invalid_input', 'a rejection needs a reason: what should change; received none');
    }
    const { commit, value } = await mutate(ctx, 'review', (ed) => {
      requireAgentSchema(ed.schema, 'tack review', ['verdict', 'reviews']);
      const env = editorEnv(ed, ctx);
      const { work, review } = pair(ed, env.resolve(input.id));
      const approved = input.verdict === 'approve';
      const done = firstStateOf(ed.schema, 'completed');
      if (!done)
        throw new TackError('invalid_schema', 'schema.yaml has no completed state; expected one for approved work');
      const reason = input.reason ?? '';
      applyComment(
        ed,
        { id: work, text: `${REVIEW_MARK}${approved ? 'approved' : 'rejected'}:** ${reason || '(no reason given)'}` },
        env,
      );
      ed.set(work, 'verdict', approved ? 'approved' : 'rejected');
      ed.set(work, 'status', approved ? done : readyState(ed.schema));
      ed.set(work, 'resolution', approved ? reason || 'approved in review' : null);
      if (review) {
        ed.set(review, 'status', done);
        ed.set(review, 'resolution', `${approved ? 'approved' : 'rejected'}${reason ? `: ${reason}` : ''}`);
      }
      return {
        subject: `review ${work}: ${approved ? 'approved' : 'rejected'}${reason ? ` (${reason.split('\n')[0].slice(0, 60)})` : ''}`,
        value: { work, review, submitter: submitterOf(ed.ticket(work).comments) },
      };
    });
    const ids = [value.work, ...(value.review ? [value.review] : [])];
    // Approved work is finished: neither the reviewer nor the agent that submitted it holds it any more.
    const released =
      input.verdict === 'approve'
        ? releaseFinished(ctx, [value.work], [ctx.user(), ...(value.submitter ? [value.submitter] : [])], commit)
        : [];
    const tickets = listTickets((await ctx.index()).db, { ids, all: true });
    const verdict = input.verdict === 'approve' ? ('approved' as const) : ('rejected' as const);
    return {
      verdict,
      reason: input.reason ?? null,
      work: value.work,
      review: value.review,
      released,
      tickets,
      commit,
      message: `${value.work} ${verdict}: ${verdict === 'approved' ? 'done' : `back to ${tickets.find((t) => t.id === value.work)?.status}`}`,
    };
  },
});
