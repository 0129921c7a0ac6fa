import { editorEnv } from './applyEnv.js';
import { z } from 'zod';
import { commentRef, ownComment } from './commentShared.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

export default defineOp({
  name: 'comment-delete',
  summary: 'Delete one of your comments (a tombstone stays in the file, so a merge cannot bring it back)',
  kind: 'write',
  destructive: true,
  idempotent: false,
  cli: { args: ['id', 'comment'] },
  input: z.object(commentRef),
  output: lazyShape(() =>
    z.strictObject({
      ticket: z.string(),
      /** The deleted comment's id. */
      comment: z.string(),
      deleted: z.literal(true),
      commit: z.string().nullable(),
    }),
  ),
  async run(ctx, input) {
    const { commit, value } = await mutate(ctx, 'comment-delete', (ed) => {
      const env = editorEnv(ed, ctx);
      const id = env.resolve(input.id);
      const file = ed.load(id);
      const c = ownComment(file, id, input.comment, env.user);
      const { edited: _e, ...kept } = c;
      file.comments = file.comments.map((x) => (x === c ? { ...kept, text: '', deleted: ed.now } : x));
      return { subject: `delete comment ${c.id} on ${id}`, value: { ticket: id, comment: c.id } };
    });
    return { ...value, deleted: true as const, commit };
  },
});
