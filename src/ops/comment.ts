import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { randomBase36 } from '../model/ids.js';
import { idArg, resolveIds } from './ticketInput.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';

export default defineOp({
  name: 'comment',
  summary: 'Add a comment to a ticket',
  kind: 'write',
  cli: { args: ['id', 'text'] },
  input: z.object({
    id: idArg,
    text: z.string().describe('markdown text'),
  }),
  async run(ctx, input) {
    if (!input.text.trim()) throw new TackError('invalid_input', 'comment text is empty; expected some text');
    const idx = await ctx.index();
    const [id] = resolveIds(idx, [input.id]);
    const author = ctx.user();
    const created = ctx.now();
    const { commit, value } = await mutate(ctx, 'comment', (ed) => {
      const file = ed.load(id);
      const taken = new Set(file.comments.map((c) => c.id));
      let cid = `c-${randomBase36(6)}`;
      while (taken.has(cid)) cid = `c-${randomBase36(6)}`;
      const comment = { id: cid, author, created, text: input.text.trim() };
      file.comments.push(comment);
      return { subject: `comment on ${id}`, value: comment };
    });
    return { ticket: id, comment: value, commit };
  },
});
