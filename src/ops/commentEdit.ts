import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { editorEnv } from './applyEnv.js';
import { commentRef, ownComment } from './commentShared.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';
import { commentShape, lazyShape } from '../model/jsonShapes.js';

export default defineOp({
  name: 'comment-edit',
  summary: 'Replace the text of one of your comments (its id and author stay; it is marked edited)',
  kind: 'write',
  destructive: false,
  idempotent: true,
  cli: { args: ['id', 'comment', 'text'] },
  input: z.object({ ...commentRef, text: z.string().describe('the new markdown text') }),
  output: lazyShape(() =>
    z.strictObject({ ticket: z.string(), comment: commentShape(), commit: z.string().nullable() }),
  ),
  async run(ctx, input) {
    const text = input.text.trim();
    if (!text)
      throw new TackError(
        'invalid_input',
        'comment text is empty; expected some text (to remove the comment, use comment delete)',
      );
    const { commit, value, changed } = await mutate(ctx, 'comment-edit', (ed) => {
      const env = editorEnv(ed, ctx);
      const id = env.resolve(input.id);
      const file = ed.load(id);
      const c = ownComment(file, id, input.comment, env.user);
      if (c.text === text) return { subject: `edit comment ${c.id} on ${id}`, value: { ticket: id, comment: c } };
      const edited = { ...c, text, edited: ed.now };
      file.comments = file.comments.map((x) => (x === c ? edited : x));
      return { subject: `edit comment ${c.id} on ${id}`, value: { ticket: id, comment: edited } };
    });
    return { ...value, changed, commit };
  },
});
