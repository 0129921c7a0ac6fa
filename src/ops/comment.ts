import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { randomBase36 } from '../model/ids.js';
import type { Comment } from '../model/comments.js';
import { idArg } from './ticketInput.js';
import { editorEnv, type Applied, type ApplyEnv } from './applyEnv.js';
import type { TicketEditor } from './ticketEditor.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';
import { commentShape, lazyShape } from '../model/jsonShapes.js';

export const commentInput = z.object({
  id: idArg,
  text: z.string().describe('markdown text'),
});

/** Append a comment (fresh id, the acting user, now) to a ticket in the editor. */
export function applyComment(ed: TicketEditor, input: z.infer<typeof commentInput>, env: ApplyEnv): Applied<Comment> {
  if (!input.text.trim()) throw new TackError('invalid_input', 'comment text is empty; expected some text');
  const id = env.resolve(input.id);
  const file = ed.load(id);
  const taken = new Set(file.comments.map((c) => c.id));
  let cid = `c-${randomBase36(6)}`;
  while (taken.has(cid)) cid = `c-${randomBase36(6)}`;
  const comment = { id: cid, author: env.user, created: ed.now, text: input.text.trim() };
  file.comments.push(comment);
  return { subject: `comment on ${id}`, ids: [id], value: comment };
}

export default defineOp({
  name: 'comment',
  summary: 'Add a comment to a ticket',
  kind: 'write',
  destructive: false,
  idempotent: false,
  cli: { args: ['id', 'text'] },
  input: commentInput,
  output: lazyShape(() =>
    z.strictObject({ ticket: z.string(), comment: commentShape(), commit: z.string().nullable() }),
  ),
  async run(ctx, input) {
    const { commit, value } = await mutate(ctx, 'comment', (ed) => {
      const applied = applyComment(ed, input, editorEnv(ed, ctx));
      return { subject: applied.subject, value: { ticket: applied.ids[0], comment: applied.value } };
    });
    return { ...value, commit };
  },
});
