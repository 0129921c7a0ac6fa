import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { listTickets } from '../index/queries.js';
import { normaliseEdge, type Edge } from './linkShared.js';
import { editorEnv, type Applied, type ApplyEnv, resolveTarget } from './applyEnv.js';
import type { TicketEditor } from './ticketEditor.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';
import { linkWriteShape } from '../model/jsonShapes.js';

export const unlinkInput = z.object({
  id: z.string().min(1).describe('ticket id'),
  kind: z.string().min(1).describe('relation kind'),
  target: z.string().min(1).describe('the other ticket id'),
});

/** Remove the forward edge `id KIND target` in the editor; refuses when there is none. */
export function applyUnlink(ed: TicketEditor, input: z.infer<typeof unlinkInput>, env: ApplyEnv): Applied<Edge> {
  const a = env.resolve(input.id);
  const b = resolveTarget(env, input.target);
  const e = normaliseEdge(ed.schema, a, input.kind, b);
  const cur = ed.ticket(e.src).relations[e.kind] ?? [];
  if (!cur.includes(e.dst)) throw new TackError('not_found', `${e.src} does not ${e.kind} ${e.dst}; nothing to unlink`);
  ed.set(
    e.src,
    e.kind,
    cur.filter((x) => x !== e.dst),
  );
  return { subject: `unlink ${e.src} ${e.kind} ${e.dst}`, ids: [a, b], value: e };
}

export default defineOp({
  name: 'unlink',
  summary: 'Remove a relation: tack unlink A blocks B',
  kind: 'write',
  cli: { args: ['id', 'kind', 'target'] },
  input: unlinkInput,
  output: linkWriteShape,
  async run(ctx, input) {
    const { commit, value } = await mutate(ctx, 'unlink', (ed) => {
      const applied = applyUnlink(ed, input, editorEnv(ed, ctx));
      return { subject: applied.subject, value: applied };
    });
    return { link: value.value, tickets: listTickets((await ctx.index()).db, { ids: value.ids, all: true }), commit };
  },
});
