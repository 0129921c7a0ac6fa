import { z } from 'zod';
import { commitTime } from '../index/historyQueries.js';
import { countStale, staleRows, type StaleTicket } from '../index/reports.js';
import { atRev, readIndex } from './readInput.js';
import { pageFrom, pageInputs, type RowSource } from './page.js';
import { defineOp, type OpContext } from './op.js';
import { lazyShape, ticketSummaryShape } from '../model/jsonShapes.js';

const DAY_MS = 86_400_000;
export const STALE_LIMIT = 50;

export default defineOp({
  name: 'stale',
  summary: 'Open work not updated for a while (default 14 days), oldest first',
  kind: 'read',
  cli: { short: { d: 'days', n: 'limit' } },
  input: z.object({
    days: z.number().nonnegative().optional().describe('idle for more than this many days (default 14)'),
    ...pageInputs(STALE_LIMIT),
    at: atRev.describe(
      'read the tracker as it was at a revision (e.g. tack~5); idle time is then counted up to that commit',
    ),
  }),
  output: lazyShape(() => z.array(ticketSummaryShape().extend({ idle_days: z.number() }))),
  async run(ctx, input) {
    return pageFrom(input, STALE_LIMIT, await staleRowsOf(ctx, input));
  },
  rows: staleRowsOf,
});

async function staleRowsOf(ctx: OpContext, input: { days?: number; at?: string }): Promise<RowSource<StaleTicket>> {
  const idx = await readIndex(ctx, input.at);
  const then = input.at && idx.commit ? commitTime(idx.db, idx.commit) : null;
  const now = then ? new Date(then).toISOString().replace(/\.\d{3}Z$/, 'Z') : ctx.now();
  const before = new Date(Date.parse(now) - (input.days ?? 14) * DAY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    read: (limit, offset) => staleRows(idx.db, now, before, limit, offset),
    count: () => countStale(idx.db, before),
  };
}
