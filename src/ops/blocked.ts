import { z } from 'zod';
import { blockedRows, countBlocked, type BlockedTicket } from '../index/queries.js';
import { atRev, readIndex, storeInput } from './readInput.js';
import { heldRows, pageFrom, pageInputs, type RowSource } from './page.js';
import { defineOp, type OpContext } from './op.js';
import { lazyShape, ticketSummaryShape } from '../model/jsonShapes.js';

export const BLOCKED_LIMIT = 50;

export default defineOp({
  name: 'blocked',
  summary: 'Open work waiting on an open blocker',
  kind: 'read',
  cacheable: true,
  cli: { short: { n: 'limit' } },
  input: z.object({
    ...pageInputs(BLOCKED_LIMIT),
    store: storeInput,
    at: atRev,
  }),
  output: lazyShape(() =>
    z.array(ticketSummaryShape().extend({ blocked_by: z.array(z.string()), blocked_by_count: z.number() })),
  ),
  async run(ctx, input) {
    return pageFrom(input, BLOCKED_LIMIT, await blockedRowsOf(ctx, input));
  },
  rows: blockedRowsOf,
});

async function blockedRowsOf(
  ctx: OpContext,
  input: { store?: string; at?: string },
): Promise<RowSource<BlockedTicket>> {
  if (!input.at && (ctx.store().workspace || input.store))
    return heldRows(await (await import('./workspaceOps.js')).blockedOp(ctx, { ...input, limit: undefined }));
  const db = (await readIndex(ctx, input.at)).db;
  return { read: (limit, offset) => blockedRows(db, limit, offset), count: () => countBlocked(db) };
}
