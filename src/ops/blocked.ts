import { z } from 'zod';
import { blockedTickets } from '../index/queries.js';
import { atRev, limit, readIndex } from './readInput.js';
import { defineOp } from './op.js';

export default defineOp({
  name: 'blocked',
  summary: 'Open work waiting on an open blocker',
  kind: 'read',
  cacheable: true,
  cli: { short: { n: 'limit' } },
  input: z.object({
    limit,
    store: z.string().min(1).optional().describe('only tickets of this workspace store: local or a member name (see `tack workspace`)'),
    at: atRev,
  }),
  async run(ctx, input) {
    if (!input.at && (ctx.store().workspace || input.store)) return (await import('./workspaceOps.js')).blockedOp(ctx, input);
    return blockedTickets((await readIndex(ctx, input.at)).db, input.limit);
  },
});
