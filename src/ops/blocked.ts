import { z } from 'zod';
import { blockedTickets, countBlocked } from '../index/queries.js';
import { atRev, readIndex } from './readInput.js';
import { page, pageInputs, pageOfAll } from './page.js';
import { defineOp } from './op.js';
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
    store: z
      .string()
      .min(1)
      .optional()
      .describe('only tickets of this workspace store: local or a member name (see `tack workspace`)'),
    at: atRev,
  }),
  output: lazyShape(() =>
    z.array(ticketSummaryShape().extend({ blocked_by: z.array(z.string()), blocked_by_count: z.number() })),
  ),
  async run(ctx, input) {
    if (!input.at && (ctx.store().workspace || input.store)) {
      return pageOfAll(
        await (await import('./workspaceOps.js')).blockedOp(ctx, { ...input, limit: undefined }),
        input,
        BLOCKED_LIMIT,
      );
    }
    const db = (await readIndex(ctx, input.at)).db;
    return page(
      input,
      BLOCKED_LIMIT,
      (limit, offset) => blockedTickets(db, limit, offset),
      () => countBlocked(db),
    );
  },
});
