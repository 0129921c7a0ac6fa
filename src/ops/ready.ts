import { z } from 'zod';
import type { DB } from '../index/indexDb.js';
import { countReady, expiredClaims, readyRows, type TicketSummary } from '../index/queries.js';
import { batches } from '../model/batches.js';
import { refreshClaims } from '../index/claims.js';
import { atRev, readIndex, storeInput } from './readInput.js';
import { heldRows, pageFrom, pageInputs, type RowSource } from './page.js';
import { defineOp, type OpContext } from './op.js';
import { lazyShape, ticketSummaryShape } from '../model/jsonShapes.js';

/** What to pick from next, not the whole backlog: a default answer stays a few KB at any size. */
export const READY_LIMIT = 10;

/** Started work offered again because its holder's claim expired says so: `expired_claim`. */
function withExpiredClaims(db: DB, rows: TicketSummary[], claims: { now: string } | undefined): TicketSummary[] {
  const started = rows.filter((t) => t.category === 'started').map((t) => t.id);
  if (!claims || started.length === 0) return rows;
  const expired = expiredClaims(db, started, claims.now);
  return rows.map((t) => (expired.has(t.id) ? { ...t, expired_claim: expired.get(t.id) } : t));
}

const readyInput = z.object({
  type: z.array(z.string()).optional().describe('only these types (repeatable)'),
  label: z.array(z.string()).optional().describe('must have these labels (repeatable)'),
  unassigned: z.boolean().optional().describe('only unassigned work (not also mine)'),
  for: z.enum(['agent', 'human']).optional().describe('audience (agent: marked audience=agent)'),
  ...pageInputs(READY_LIMIT),
  store: storeInput,
  at: atRev,
});

export default defineOp({
  name: 'ready',
  summary: "Work that can start now: not started, unblocked, not someone else's",
  kind: 'read',
  cli: { short: { n: 'limit', t: 'type', l: 'label' } },
  input: readyInput,
  output: lazyShape(() =>
    z.array(
      ticketSummaryShape().extend({
        expired_claim: z.strictObject({ owner: z.string(), expires: z.string() }).optional(),
      }),
    ),
  ),
  async run(ctx, input) {
    return pageFrom(input, READY_LIMIT, await readyRowsOf(ctx, input));
  },
  rows: readyRowsOf,
});

type ReadyInput = z.infer<typeof readyInput>;

async function readyRowsOf(ctx: OpContext, input: ReadyInput): Promise<RowSource<TicketSummary>> {
  if (!input.at && (ctx.store().workspace || input.store))
    return heldRows(await (await import('./workspaceOps.js')).readyOp(ctx, { ...input, limit: undefined }));
  const idx = await readIndex(ctx, input.at);
  // Leases are live state, not history: a past snapshot shows no claims.
  if (!input.at) await refreshClaims(idx);
  const me = ctx.user();
  const filter = {
    me: input.unassigned ? null : me,
    type: input.type,
    label: input.label,
    audience: input.for,
    claims: input.at ? undefined : { me, now: ctx.now() },
  };
  return {
    *read(limit, offset) {
      for (const rows of batches(readyRows(idx.db, { ...filter, limit, offset }), CLAIMS_BATCH))
        yield* withExpiredClaims(idx.db, rows, filter.claims);
    },
    count: () => countReady(idx.db, filter),
  };
}

/** Rows whose expired claims one query looks up. */
const CLAIMS_BATCH = 500;
