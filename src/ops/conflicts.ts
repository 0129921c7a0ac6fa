import { z } from 'zod';
import { listConflicts } from '../index/conflictQueries.js';
import { resolveId } from '../index/ticketIds.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

export default defineOp({
  name: 'conflicts',
  summary: "List values that lost a merge (kept in each ticket's `conflicts` field)",
  kind: 'read',
  cacheable: true,
  cli: { args: ['id'] },
  input: z.object({ id: z.string().min(1).optional().describe('only this ticket') }),
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
    return listConflicts(db, input.id ? resolveId(db, input.id) : undefined);
  },
});
