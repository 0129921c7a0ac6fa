import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { categoryOf, waitingStates } from '../model/schema.js';
import { getSummary } from '../index/queries.js';
import { idArg } from './ticketInput.js';
import { editorEnv } from './applyEnv.js';
import { applyComment } from './comment.js';
import { questionOwner, QUESTION, requireAgentSchema } from './agentShared.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';
import { commentShape, lazyShape, ticketSummaryShape } from '../model/jsonShapes.js';

/**
 * An agent stuck on missing context parks the ticket: it moves to the waiting state
 * (`ready` no longer offers it), the question becomes a comment, and the ticket is
 * assigned to its human owner (its creator) until `tack answer` sends it back.
 */
export default defineOp({
  name: 'ask',
  summary: "Ask the ticket's owner a question: the ticket waits (needs-context) until answered",
  kind: 'write',
  destructive: false,
  idempotent: false,
  cli: { args: ['id', 'question'] },
  input: z.object({
    id: idArg,
    question: z.string().trim().min(1).describe('what is missing (markdown)'),
  }),
  output: lazyShape(() =>
    z.strictObject({
      ticket: ticketSummaryShape(),
      question: commentShape(),
      assignee: z.string().nullable(),
      owner_note: z.string().nullable(),
      commit: z.string().nullable(),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    const { commit, value } = await mutate(ctx, 'ask', (ed) => {
      requireAgentSchema(ed.schema, 'tack ask', ['waiting']);
      const env = editorEnv(ed, ctx);
      const id = env.resolve(input.id);
      const t = ed.ticket(id);
      const cat = categoryOf(ed.schema, t.status);
      if (cat === 'completed' || cat === 'canceled') {
        throw new TackError(
          'invalid_input',
          `ticket ${id} is ${t.status} (${cat}); expected open work to ask about (reopen it first)`,
          { id, status: t.status },
        );
      }
      const ticketOf = (p: string) => (ed.exists(p) ? ed.ticket(p) : null);
      const { owner, note } = questionOwner(ed.index.db, t, env.user, ticketOf);
      const comment = applyComment(ed, { id, text: QUESTION + input.question }, env).value;
      ed.set(id, 'status', waitingStates(ed.schema)[0]);
      ed.set(id, 'assignee', owner);
      return {
        subject: `ask on ${id}: ${input.question.split('\n')[0].slice(0, 60)}`,
        value: { id, owner, note, comment },
      };
    });
    const ticket = getSummary((await ctx.index()).db, value.id)!;
    return {
      ticket,
      question: value.comment,
      assignee: value.owner,
      owner_note: value.note,
      commit,
      message: `${value.id} waits for an answer${value.owner ? ` from ${value.owner}` : ''} (status ${ticket.status})${value.note ? ` (${value.note})` : ''}; \`tack answer ${ticket.short_id || value.id} "..."\` sends it back`,
    };
  },
});
