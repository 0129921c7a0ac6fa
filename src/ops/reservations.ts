import { z } from 'zod';
import { isLiveReservation, normalizePattern, patternCovers, RESERVATIONS_REF } from '../model/reservation.js';
import { readReservations } from '../git/reservations.js';
import { reservationsRemote, reservationsRepo } from './reservationsShared.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { reservationShape } from '../model/workShapes.js';

export default defineOp({
  name: 'reservations',
  summary: 'List file reservations: who reserved which paths until when',
  kind: 'read',
  postOnly: ['fetch'],
  input: z.object({
    fetch: z.boolean().optional().describe("fetch the remote's reservations first"),
    remote: z.string().optional().describe('the remote to fetch from'),
    all: z.boolean().optional().describe('include expired reservations'),
    mine: z.boolean().optional().describe('only yours'),
    path: z.string().optional().describe('only those covering this path'),
    limit: z.number().int().min(1).max(500).optional().describe('at most this many (default 100)'),
  }),
  output: lazyShape(() =>
    z.strictObject({
      reservations: z.array(reservationShape().extend({ live: z.boolean(), mine: z.boolean() })),
      total: z.number(),
      truncated: z.boolean(),
    }),
  ),
  async run(ctx, input) {
    const repo = reservationsRepo(ctx);
    if (input.fetch) {
      const remote = reservationsRemote(repo, input);
      if (remote) {
        const { fetchLeaseRef } = await import('../git/leases.js');
        fetchLeaseRef(repo, remote, RESERVATIONS_REF, 'the reservations', 'list this clone’s with no --fetch');
      }
    }
    const now = ctx.now();
    const me = ctx.user();
    const path = input.path === undefined ? undefined : normalizePattern(input.path);
    const rows = readReservations(repo)
      .list.map((r) => ({ ...r, live: isLiveReservation(r, now), mine: r.owner === me }))
      .filter((r) => (input.all || r.live) && (!input.mine || r.mine) && (!path || patternCovers(r.pattern, path)))
      .sort((a, b) => a.expires.localeCompare(b.expires) || a.pattern.localeCompare(b.pattern));
    const limit = input.limit ?? 100;
    return { reservations: rows.slice(0, limit), total: rows.length, truncated: rows.length > limit };
  },
});
