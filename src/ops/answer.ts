import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { getSummary } from '../index/queries.js';
import { idArg } from './ticketInput.js';
import { editorEnv } from './applyEnv.js';
import { applyComment } from './comment.js';
import { ANSWER, isWaiting, questionsAndAnswers, readyState, requireAgentSchema } from './agentShared.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';
import { commentShape, lazyShape, ticketSummaryShape } from '../model/jsonShapes.js';

/** The answer to `tack ask`: a comment, the ticket back to ready, assigned to whoever asked. */
export default defineOp({
  name: 'answer',
  summary: 'Answer the open question on a waiting ticket: it returns to ready, assigned to the asker',
  kind: 'write',
  destructive: false,
  idempotent: false,
  cli: { args: ['id', 'answer'] },
  input: z.object({
    id: idArg,
    answer: z.string().trim().min(1).describe('the context that was missing (markdown)'),
  }),
  output: lazyShape(() =>
    z.strictObject({
      ticket: ticketSummaryShape(),
      answer: commentShape(),
      assignee: z.string().nullable(),
      commit: z.string().nullable(),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    const { commit, value } = await mutate(ctx, 'answer', (ed) => {
      requireAgentSchema(ed.schema, 'tack answer', ['waiting']);
      const env = editorEnv(ed, ctx);
      const id = env.resolve(input.id);
      const t = ed.ticket(id);
      const open = questionsAndAnswers(t.comments).filter((q) => q.answer === null);
      if (!isWaiting(ed.schema, t.status) || open.length === 0) {
        throw new TackError(
          'invalid_input',
          `ticket ${id} has no open question (status ${t.status}); expected a ticket parked by \`tack ask\``,
          { id, status: t.status },
        );
      }
      const asker = open[open.length - 1].question.author;
      const comment = applyComment(ed, { id, text: ANSWER + input.answer }, env).value;
      ed.set(id, 'status', readyState(ed.schema));
      ed.set(id, 'assignee', asker);
      return { subject: `answer on ${id}`, value: { id, asker, comment } };
    });
    const ticket = getSummary((await ctx.index()).db, value.id)!;
    return {
      ticket,
      answer: value.comment,
      assignee: value.asker,
      commit,
      message: `${value.id} is ${ticket.status} again, assigned to ${value.asker}`,
    };
  },
});
