import { z } from 'zod';
import { resolveId } from '../index/ticketIds.js';
import { claimTicket } from './claimShared.js';
import { idArg } from './ticketInput.js';
import { defineOp } from './op.js';
import { claimOutcomeShape } from '../model/workShapes.js';

export const claimOptions = {
  for: z.string().optional().describe('lease, e.g. 30m, 2h (default), 1d'),
  remote: z
    .string()
    .optional()
    .describe('publish the lease to this remote (default: tack.remote, origin, or the only remote)'),
  local: z.boolean().optional().describe('claim in this clone only (publish nothing: when the remote is unreachable)'),
};

export default defineOp({
  name: 'claim',
  summary: 'Assign a ticket to yourself and start it, only if nobody else holds it (a lease that expires)',
  kind: 'write',
  destructive: false,
  idempotent: true,
  cli: { args: ['id'] },
  input: z.object({
    id: idArg,
    renew: z.boolean().optional().describe('extend your lease instead of claiming'),
    ...claimOptions,
  }),
  output: claimOutcomeShape,
  async run(ctx, input) {
    const id = resolveId((await ctx.index()).db, input.id);
    return claimTicket(ctx, id, { duration: input.for, renew: input.renew, remote: input.remote, local: input.local });
  },
});
