import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { indexedSchema } from '../index/indexDb.js';
import { listTickets } from '../index/queries.js';
import { resolveIds } from './ticketInput.js';
import { normaliseEdge } from './linkShared.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';

export default defineOp({
  name: 'unlink',
  summary: 'Remove a relation: tack unlink A blocks B',
  kind: 'write',
  cli: { args: ['id', 'kind', 'target'] },
  input: z.object({
    id: z.string().min(1).describe('ticket id'),
    kind: z.string().min(1).describe('relation kind'),
    target: z.string().min(1).describe('the other ticket id'),
  }),
  async run(ctx, input) {
    const idx = await ctx.index();
    const [a, b] = resolveIds(idx, [input.id, input.target]);
    const e = normaliseEdge(indexedSchema(idx.db)!, a, input.kind, b);
    const { commit } = await mutate(ctx, 'unlink', (ed) => {
      const cur = ed.ticket(e.src).relations[e.kind] ?? [];
      if (!cur.includes(e.dst)) throw new TackError('not_found', `${e.src} does not ${e.kind} ${e.dst}; nothing to unlink`);
      ed.set(e.src, e.kind, cur.filter((x) => x !== e.dst));
      return { subject: `unlink ${e.src} ${e.kind} ${e.dst}`, value: null };
    });
    return { link: e, tickets: listTickets((await ctx.index()).db, { ids: [a, b], all: true }), commit };
  },
});
