import { z } from 'zod';
import type { DB } from '../index/indexDb.js';
import { countReady, expiredClaims, readyTickets, type TicketSummary } from '../index/queries.js';
import { refreshClaims } from '../index/claims.js';
import { atRev, readIndex } from './readInput.js';
import { page, pageInputs, pageOfAll } from './page.js';
import { defineOp } from './op.js';
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

export default defineOp({
  name: 'ready',
  summary: "Work that can start now: not started, unblocked, not someone else's",
  kind: 'read',
  cli: { short: { n: 'limit', t: 'type', l: 'label' } },
  input: z.object({
    type: z.array(z.string()).optional().describe('only these types (repeatable)'),
    label: z.array(z.string()).optional().describe('must have these labels (repeatable)'),
    unassigned: z.boolean().optional().describe('only unassigned work (not also mine)'),
    for: z.enum(['agent', 'human']).optional().describe('audience (agent: marked audience=agent)'),
    ...pageInputs(READY_LIMIT),
    store: z
      .string()
      .min(1)
      .optional()
      .describe('only tickets of this workspace store: local or a member name (see `tack workspace`)'),
    at: atRev,
  }),
  output: lazyShape(() =>
    z.array(
      ticketSummaryShape().extend({
        expired_claim: z.strictObject({ owner: z.string(), expires: z.string() }).optional(),
      }),
    ),
  ),
  async run(ctx, input) {
    if (!input.at && (ctx.store().workspace || input.store)) {
      return pageOfAll(
        await (await import('./workspaceOps.js')).readyOp(ctx, { ...input, limit: undefined }),
        input,
        READY_LIMIT,
      );
    }
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
    return page(
      input,
      READY_LIMIT,
      (limit, offset) => withExpiredClaims(idx.db, readyTickets(idx.db, { ...filter, limit, offset }), filter.claims),
      () => countReady(idx.db, filter),
    );
  },
});
