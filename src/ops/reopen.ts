import { z } from 'zod';
import { unknownValue } from '../model/errors.js';
import { firstStateOf } from '../model/schema.js';
import { indexedSchema } from '../index/indexDb.js';
import { listTickets } from '../index/queries.js';
import { idList, resolveIds } from './ticketInput.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';

export default defineOp({
  name: 'reopen',
  summary: 'Reopen closed tickets',
  kind: 'write',
  cli: { args: ['...ids'] },
  input: z.object({
    ids: idList.min(1).describe('ticket ids'),
    status: z.string().optional().describe('state to reopen into (default: the first unstarted state)'),
  }),
  async run(ctx, input) {
    const idx = await ctx.index();
    const schema = indexedSchema(idx.db)!;
    const ids = resolveIds(idx, input.ids);
    const status = input.status ?? firstStateOf(schema, 'unstarted') ?? firstStateOf(schema, 'backlog');
    const open = schema.states.filter((s) => s.category !== 'completed' && s.category !== 'canceled').map((s) => s.name);
    if (!status || !open.includes(status)) throw unknownValue('open status', status ?? '', open);
    const { commit } = await mutate(ctx, 'reopen', (ed) => {
      for (const id of ids) {
        ed.set(id, 'status', status);
        ed.set(id, 'resolution', null);
      }
      return { subject: `reopen ${ids.join(', ')}`, value: null };
    });
    return { tickets: listTickets((await ctx.index()).db, { ids, all: true }), commit };
  },
});
