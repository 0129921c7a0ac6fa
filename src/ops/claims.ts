import { z } from 'zod';
import { isLive } from '../model/lease.js';
import { listClaims, refreshClaims } from '../index/claims.js';
import { remoteFor } from './claimShared.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

export default defineOp({
  name: 'claims',
  summary: 'List claim leases: who holds which ticket until when',
  kind: 'read',
  postOnly: ['fetch'],
  input: z.object({
    fetch: z.boolean().optional().describe("fetch the remote's leases first"),
    remote: z.string().optional().describe('the remote to fetch from'),
    all: z.boolean().optional().describe('include expired leases'),
  }),
  output: lazyShape(() =>
    z.array(
      z.strictObject({
        ticket: z.string(),
        sha: z.string(),
        owner: z.string().nullable(),
        expires: z.string().nullable(),
        claimed: z.string().nullable(),
        title: z.string().nullable(),
        live: z.boolean(),
        mine: z.boolean(),
      }),
    ),
  ),
  async run(ctx, input) {
    if (input.fetch) {
      const remote = remoteFor(ctx, input);
      if (remote) (await import('../git/leases.js')).fetchLeases(ctx.store().repo, remote);
    }
    const idx = await ctx.index();
    await refreshClaims(idx);
    const now = ctx.now();
    const me = ctx.user();
    const titles = idx.db.prepare<{ title: string }>('SELECT title FROM tickets WHERE id = ?');
    return listClaims(idx)
      .map((c) => {
        const live =
          c.expires !== null &&
          c.owner !== null &&
          isLive({ ticket: c.ticket, owner: c.owner, expires: c.expires, claimed: c.claimed ?? c.expires }, now);
        const title = titles.get(c.ticket)?.title ?? null;
        return { ...c, title, live, mine: c.owner === me };
      })
      .filter((c) => input.all || c.live);
  },
});
