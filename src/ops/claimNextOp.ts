import { z } from 'zod';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { claimOutcomeShape } from '../model/workShapes.js';

/**
 * `tack ready --claim` (also `tack claim next`): a write, so it is its own operation —
 * `ready` stays a read that REST can serve on GET without side effects.
 */
export default defineOp({
  name: 'claim-next',
  summary: 'Claim the top ready ticket (the next one if someone else wins the race)',
  kind: 'write',
  destructive: false,
  idempotent: false,
  cli: { short: { t: 'type', l: 'label' } },
  input: z.object({
    type: z.array(z.string()).optional().describe('only these types (repeatable)'),
    label: z.array(z.string()).optional().describe('must have these labels (repeatable)'),
    unassigned: z.boolean().optional().describe('only unassigned work (not also mine)'),
    audience: z.enum(['agent', 'human']).optional().describe('only work for this audience (as `ready --for`)'),
    for: z
      .string()
      .optional()
      .describe('lease length, e.g. 30m, 2h (default); agent or human: the audience, as `ready --for`'),
    remote: z.string().optional().describe('the remote to publish the lease to'),
    local: z.boolean().optional().describe('claim in this clone only'),
  }),
  output: lazyShape(() => claimOutcomeShape().extend({ skipped: z.array(z.string()) })),
  async run(ctx, input) {
    const { claimNext } = await import('./claimNext.js');
    // `tack ready --claim --for agent` reads as ready's --for: no lease length is a word.
    const audience = input.for === 'agent' || input.for === 'human' ? input.for : input.audience;
    const duration = input.for === 'agent' || input.for === 'human' ? undefined : input.for;
    return claimNext(
      ctx,
      { type: input.type, label: input.label, unassigned: input.unassigned, audience },
      { duration, remote: input.remote, local: input.local },
    );
  },
});
