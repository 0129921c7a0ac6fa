import { TackError, isTackError } from '../model/errors.js';
import { refreshClaims } from '../index/claims.js';
import { readyTickets } from '../index/queries.js';
import { claimTicket, remoteFor, type ClaimOptions, type ClaimOutcome } from './claimShared.js';
import type { OpContext } from './op.js';

export interface ReadyFilterInput {
  type?: string[];
  label?: string[];
  unassigned?: boolean;
  audience?: 'agent' | 'human';
}

/**
 * `ready --claim`: claim the top ready ticket; when someone else wins the race for it,
 * move on to the next one. Fails only when nothing ready is left to claim.
 */
export async function claimNext(
  ctx: OpContext,
  filter: ReadyFilterInput,
  opts: ClaimOptions,
): Promise<ClaimOutcome & { skipped: string[] }> {
  const remote = remoteFor(ctx, opts);
  if (remote) (await import('../git/leases.js')).fetchLeases(ctx.store().repo, remote);
  const skipped: string[] = [];
  for (let round = 0; round < 20; round++) {
    const idx = await ctx.index();
    await refreshClaims(idx);
    const me = ctx.user();
    const candidates = readyTickets(idx.db, {
      me: filter.unassigned ? null : me,
      type: filter.type,
      label: filter.label,
      audience: filter.audience,
      excludeIds: skipped,
      limit: 10,
      claims: { me, now: ctx.now() },
    });
    if (candidates.length === 0) break;
    for (const t of candidates) {
      try {
        return {
          ...(await claimTicket(ctx, t.id, { ...opts, remote: remote ?? undefined, local: remote === null })),
          skipped,
        };
      } catch (e) {
        if (!isTackError(e) || e.code !== 'conflict') throw e;
        skipped.push(t.id); // lost the race for this one: the next
      }
    }
  }
  throw new TackError(
    'not_found',
    `nothing ready to claim${skipped.length ? ` (claimed by others meanwhile: ${skipped.join(', ')})` : ''}; see \`tack ready\` and \`tack claims\``,
    { skipped },
  );
}
