import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { isLive } from '../model/lease.js';
import { deleteLease, deleteRemoteLease, fetchLease, readLease } from '../git/leases.js';
import { getSummary } from '../index/queries.js';
import { resolveId } from '../index/ticketIds.js';
import { heldError, remoteFor, unassignTicket } from './claimShared.js';
import { idArg } from './ticketInput.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';
import { lazyShape, ticketSummaryShape } from '../model/jsonShapes.js';
import { leaseShape } from '../model/workShapes.js';

export default defineOp({
  name: 'release',
  summary: 'Give up a claim: delete the lease (here and on the remote), optionally unassign',
  kind: 'write',
  destructive: false,
  idempotent: true,
  cli: { args: ['id'] },
  input: z.object({
    id: idArg,
    unassign: z.boolean().optional().describe('also unassign it (and move it back to the first unstarted state)'),
    force: z.boolean().optional().describe("release someone else's live claim"),
    remote: z.string().optional().describe('the remote the lease was published to'),
    local: z.boolean().optional().describe('release in this clone only'),
  }),
  output: lazyShape(() =>
    z.strictObject({
      id: z.string(),
      released: leaseShape().nullable(),
      commit: z.string().nullable(),
      remote: z.string().nullable(),
      ticket: ticketSummaryShape().nullable(),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    const id = resolveId((await ctx.index()).db, input.id);
    const repo = ctx.store().repo;
    const remote = remoteFor(ctx, input);
    if (remote) fetchLease(repo, remote, id);
    const cur = readLease(repo, id);
    if (!cur) throw new TackError('not_found', `${id} is not claimed; nothing to release`, { id });
    const me = ctx.user();
    if (cur.lease && cur.lease.owner !== me && isLive(cur.lease, ctx.now()) && !input.force)
      throw heldError(id, cur.lease);
    if (remote) {
      const r = deleteRemoteLease(repo, remote, id, cur.sha);
      if (!r.ok)
        throw new TackError('conflict', `the claim on ${id} changed on ${remote} while releasing: ${r.reason}`, {
          id,
          remote,
        });
    }
    deleteLease(repo, id, cur.sha);
    let commit: string | null = null;
    if (input.unassign) {
      commit = (
        await mutate(ctx, 'release', (ed) => {
          unassignTicket(ed, id);
          return { subject: `release ${id}`, value: null };
        })
      ).commit;
    }
    const ticket = getSummary((await ctx.index()).db, id);
    return {
      id,
      released: cur.lease,
      commit,
      remote,
      ticket,
      message: `released ${id}${cur.lease ? ` (held by ${cur.lease.owner})` : ''}${input.unassign ? ', unassigned' : ''}`,
    };
  },
});
