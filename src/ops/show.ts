import { z } from 'zod';
import { resolveId } from '../index/ticketIds.js';
import { shownHistory, ticketDetails } from '../index/ticketDetails.js';
import { idArg } from './ticketInput.js';
import { atRev, readIndex } from './readInput.js';
import { defineOp } from './op.js';
import { historyRowShape, lazyShape, ticketDetailsShape } from '../model/jsonShapes.js';

export default defineOp({
  name: 'show',
  summary: 'Show a ticket: fields, description, comments, relations, history',
  kind: 'read',
  cacheable: true,
  cli: { args: ['id'] },
  input: z.object({
    id: idArg,
    at: atRev,
    store: z.string().min(1).optional().describe('the workspace store to look in (same as NAME:ID)'),
    history: z.boolean().optional().describe('include the field history (default true)'),
  }),
  output: lazyShape(() =>
    ticketDetailsShape().extend({ history: z.array(historyRowShape()), history_total: z.number() }),
  ),
  async run(ctx, input) {
    if (!input.at && (ctx.store().workspace || input.store))
      return (await import('./workspaceOps.js')).showOp(ctx, input);
    const idx = await readIndex(ctx, input.at);
    const id = resolveId(idx.db, input.id);
    const details = ticketDetails(idx.db, id)!;
    // The latest changes; `tack log ID -n N` has more.
    return { ...details, ...shownHistory(idx.db, id, input.history !== false) };
  },
});
