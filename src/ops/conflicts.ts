import { z } from 'zod';
import { listConflicts } from '../index/conflictQueries.js';
import { resolveId } from '../index/ticketIds.js';
import { defineOp } from './op.js';
import { pageInputs, pageOfAll } from './page.js';

/** Tickets listed unless asked for more: 20,000 tickets with a lost value were 1.2 MB. */
const CONFLICTS_LIMIT = 50;
import { lazyShape } from '../model/jsonShapes.js';

export default defineOp({
  name: 'conflicts',
  summary: "List values that lost a merge (kept in each ticket's `conflicts` field)",
  kind: 'read',
  cacheable: true,
  cli: { args: ['id'] },
  input: z.object({
    id: z.string().min(1).optional().describe('only this ticket'),
    ...pageInputs(CONFLICTS_LIMIT),
  }),
  output: lazyShape(() =>
    z.array(
      z.strictObject({
        id: z.string(),
        short_id: z.string(),
        title: z.string(),
        conflicts: z.array(
          z.strictObject({
            field: z.string(),
            lost: z.unknown(),
            kept: z.unknown().optional(),
            at: z.string().optional(),
          }),
        ),
      }),
    ),
  ),
  async run(ctx, input) {
    const db = (await ctx.index()).db;
    return pageOfAll(listConflicts(db, input.id ? resolveId(db, input.id) : undefined), input, CONFLICTS_LIMIT);
  },
});
