import { z } from 'zod';
import { timeBefore } from '../model/duration.js';
import { recentActivity, uncommittedTickets } from '../index/historyQueries.js';
import { atRev, limit, perCommit, readIndex, ticketsPerCommit } from './readInput.js';
import { defineOp } from './op.js';
import { commitRowShape, lazyShape, ticketRefShape } from '../model/jsonShapes.js';

export default defineOp({
  name: 'recent',
  summary: 'What changed lately and by whom: latest commits with the tickets and fields they touched',
  kind: 'read',
  cli: { short: { n: 'limit', a: 'author', s: 'since' } },
  input: z.object({
    author: z.string().min(1).optional().describe("part of the author's name or email (case-insensitive)"),
    since: z
      .string()
      .min(1)
      .optional()
      .describe('only changes since: a duration (30m, 12h, 7d, 2w) or a date (2026-11-01)'),
    actor: z
      .string()
      .min(1)
      .optional()
      .describe("human, agent, or part of an agent's name or harness (from the provenance trailers)"),
    limit: limit.describe('at most this many commits (default 20)'),
    tickets: ticketsPerCommit,
    at: atRev,
  }),
  output: lazyShape(() =>
    z.strictObject({
      since: z.string().nullable(),
      author: z.string().nullable(),
      actor: z.string().nullable(),
      commits: z.array(
        commitRowShape().extend({
          tickets: z.array(ticketRefShape().extend({ fields: z.array(z.string()) })),
          docs: z.array(z.string()),
        }),
      ),
      uncommitted: z.array(ticketRefShape()),
    }),
  ),
  async run(ctx, input) {
    const since = input.since ? timeBefore(ctx.now(), input.since) : null;
    const idx = await readIndex(ctx, input.at);
    return {
      since,
      author: input.author ?? null,
      actor: input.actor ?? null,
      commits: recentActivity(idx.db, {
        limit: input.limit ?? 20,
        author: input.author,
        since: since ?? undefined,
        actor: input.actor,
        ticketsPerCommit: perCommit(input.tickets),
      }),
      uncommitted: input.at ? [] : uncommittedTickets(idx.db),
    };
  },
});
