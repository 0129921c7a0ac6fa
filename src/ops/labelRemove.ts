import { z } from 'zod';
import { listTickets } from '../index/queries.js';
import { idList, resolveIds } from './ticketInput.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';

export default defineOp({
  name: 'label-rm',
  summary: 'Remove labels from tickets',
  kind: 'write',
  cli: { args: ['id', '...labels'] },
  input: z.object({
    id: z.string().min(1).describe('ticket id'),
    labels: z.array(z.string().min(1)).min(1).describe('labels to remove'),
    also: idList.optional().describe('more ticket ids (repeatable)'),
  }),
  async run(ctx, input) {
    const ids = resolveIds(await ctx.index(), [input.id, ...(input.also ?? [])]);
    const { commit } = await mutate(ctx, 'label', (ed) => {
      for (const id of ids) ed.set(id, 'labels', ed.ticket(id).labels.filter((l) => !input.labels.includes(l)));
      return { subject: `label ${ids.join(', ')} -${input.labels.join(' -')}`, value: null };
    });
    return { tickets: listTickets((await ctx.index()).db, { ids, all: true }), commit };
  },
});
