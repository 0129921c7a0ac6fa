import { z } from 'zod';
import { CONFLICTS_FIELD } from '../model/merge.js';
import { TackError } from '../model/errors.js';
import { listConflicts } from '../index/conflictQueries.js';
import { resolveId } from '../index/ticketIds.js';
import { idArg } from './ticketInput.js';
import { mutate } from './mutate.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

/**
 * Clear a ticket's conflict records once someone has looked at them (the losing values
 * stay in git history). To restore a losing value, `tack update` it first.
 */
export default defineOp({
  name: 'conflicts-resolve',
  summary: "Mark a ticket's merge conflicts as reviewed: clear its `conflicts` field",
  kind: 'write',
  cli: { args: ['id'] },
  input: z.object({ id: idArg }),
  output: lazyShape(() =>
    z.strictObject({ id: z.string(), cleared: z.number(), commit: z.string().nullable(), message: z.string() }),
  ),
  async run(ctx, input) {
    const id = resolveId((await ctx.index()).db, input.id);
    const before = listConflicts((await ctx.index()).db, id)[0];
    if (!before)
      throw new TackError(
        'not_found',
        `ticket ${id} has no conflict records; expected one listed by \`tack conflicts\``,
        { id },
      );
    const { commit } = await mutate(ctx, 'conflicts-resolve', (ed) => {
      ed.set(id, CONFLICTS_FIELD, null);
      return { subject: `resolve merge conflicts of ${id}`, value: null };
    });
    return {
      id,
      cleared: before.conflicts.length,
      commit,
      message: `cleared ${before.conflicts.length} conflict record(s) of ${id}`,
    };
  },
});
