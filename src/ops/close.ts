import { z } from 'zod';
import { unknownValue } from '../model/errors.js';
import { firstStateOf } from '../model/schema.js';
import { indexedSchema } from '../index/indexDb.js';
import { listTickets } from '../index/queries.js';
import { idList, resolveIds } from './ticketInput.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';

export default defineOp({
  name: 'close',
  summary: 'Complete (or cancel) tickets, with a reason',
  kind: 'write',
  cli: { args: ['...ids'], short: { r: 'reason' } },
  input: z.object({
    ids: idList.min(1).describe('ticket ids'),
    reason: z.string().optional().describe('why: kept in the ticket as its resolution'),
    status: z.string().optional().describe('closing state (default: the first completed state)'),
    cancel: z.boolean().optional().describe('cancel instead of complete'),
  }),
  async run(ctx, input) {
    const idx = await ctx.index();
    const schema = indexedSchema(idx.db)!;
    const ids = resolveIds(idx, input.ids);
    const category = input.cancel ? 'canceled' : 'completed';
    const status = input.status ?? firstStateOf(schema, category);
    const closing = schema.states.filter((s) => s.category === 'completed' || s.category === 'canceled').map((s) => s.name);
    if (!status || !closing.includes(status)) throw unknownValue('closing status', status ?? '', closing);
    const { commit } = await mutate(ctx, 'close', (ed) => {
      for (const id of ids) {
        ed.set(id, 'status', status);
        ed.set(id, 'resolution', input.reason ?? null);
      }
      return { subject: `close ${ids.join(', ')}${input.reason ? `: ${input.reason}` : ''}`, value: null };
    });
    return { tickets: listTickets((await ctx.index()).db, { ids, all: true }), commit };
  },
});

