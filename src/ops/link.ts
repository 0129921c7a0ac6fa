import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { indexedSchema } from '../index/indexDb.js';
import { listTickets } from '../index/queries.js';
import { resolveIds } from './ticketInput.js';
import { normaliseEdge } from './linkShared.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';

export default defineOp({
  name: 'link',
  summary: 'Relate two tickets: tack link A blocks B (also related, duplicates, blocked-by)',
  kind: 'write',
  cli: { args: ['id', 'kind', 'target'] },
  input: z.object({
    id: z.string().min(1).describe('ticket id'),
    kind: z.string().min(1).describe('relation kind: blocks, related, duplicates (or an inverse like blocked-by)'),
    target: z.string().min(1).describe('the other ticket id'),
  }),
  async run(ctx, input) {
    const idx = await ctx.index();
    const [a, b] = resolveIds(idx, [input.id, input.target]);
    if (a === b) throw new TackError('invalid_input', `a ticket cannot be linked to itself (${a})`);
    const e = normaliseEdge(indexedSchema(idx.db)!, a, input.kind, b);
    const { commit } = await mutate(ctx, 'link', (ed) => {
      const t = ed.ticket(e.src);
      const cur = t.relations[e.kind] ?? [];
      if (!cur.includes(e.dst)) ed.set(e.src, e.kind, [...cur, e.dst]);
      return { subject: `link ${e.src} ${e.kind} ${e.dst}`, value: null };
    });
    return { link: e, tickets: listTickets((await ctx.index()).db, { ids: [a, b], all: true }), commit };
  },
});
