import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { listTickets } from '../index/queries.js';
import { normaliseEdge, type Edge } from './linkShared.js';
import { editorEnv, type Applied, type ApplyEnv, resolveTarget } from './applyEnv.js';
import type { TicketEditor } from './ticketEditor.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';
import { linkWriteShape } from '../model/jsonShapes.js';

export const linkInput = z.object({
  id: z.string().min(1).describe('ticket id'),
  kind: z.string().min(1).describe('blocks, related, duplicates… (or an inverse like blocked-by)'),
  target: z.string().min(1).describe('the other ticket id'),
});

/** Store the forward edge `id KIND target` in the editor (no-op when it is there already). */
export function applyLink(ed: TicketEditor, input: z.infer<typeof linkInput>, env: ApplyEnv): Applied<Edge> {
  const a = env.resolve(input.id);
  const b = resolveTarget(env, input.target);
  if (a === b) throw new TackError('invalid_input', `a ticket cannot be linked to itself (${a})`);
  const e = normaliseEdge(ed.schema, a, input.kind, b);
  const cur = ed.ticket(e.src).relations[e.kind] ?? [];
  if (!cur.includes(e.dst)) ed.set(e.src, e.kind, [...cur, e.dst]);
  return { subject: `link ${e.src} ${e.kind} ${e.dst}`, ids: [a, b], value: e };
}

export default defineOp({
  name: 'link',
  summary: 'Relate two tickets: tack link A blocks B (also related, duplicates, blocked-by)',
  kind: 'write',
  destructive: false,
  idempotent: true,
  cli: { args: ['id', 'kind', 'target'] },
  input: linkInput,
  output: linkWriteShape,
  async run(ctx, input) {
    const { commit, value } = await mutate(ctx, 'link', (ed) => {
      const applied = applyLink(ed, input, editorEnv(ed, ctx));
      return { subject: applied.subject, value: applied };
    });
    return { link: value.value, tickets: listTickets((await ctx.index()).db, { ids: value.ids, all: true }), commit };
  },
});
