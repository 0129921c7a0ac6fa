import { z } from 'zod';
import { commitLog, resolveHistoricId, ticketLog } from '../index/historyQueries.js';
import { ticketRefs } from '../index/ticketRefs.js';
import { atRev, limit, perCommit, readIndex, ticketsPerCommit } from './readInput.js';
import { defineOp } from './op.js';
import { commitRowShape, lazyShape, provenanceShape, ticketRefShape } from '../model/jsonShapes.js';

export default defineOp({
  name: 'log',
  summary: "A ticket's field changes with commit, author and time; without an id, the store's recent commits",
  kind: 'read',
  cacheable: true,
  cli: { args: ['id'], short: { n: 'limit' } },
  input: z.object({
    id: z.string().min(1).optional().describe('ticket id or unique prefix (deleted tickets too)'),
    limit: limit.describe('at most this many changes (the latest) or commits (default 20)'),
    tickets: ticketsPerCommit,
    at: atRev,
  }),
  output: lazyShape(() =>
    z.union([
      z.strictObject({ commits: z.array(commitRowShape()) }),
      z.strictObject({
        ticket: ticketRefShape(),
        changes: z.array(
          z.strictObject({
            commit: z.string(),
            time: z.string(),
            author: z.string(),
            subject: z.string(),
            op: z.string().nullable(),
            field: z.string(),
            old: z.string().nullable(),
            new: z.string().nullable(),
            provenance: provenanceShape().nullable(),
          }),
        ),
      }),
    ]),
  ),
  async run(ctx, input) {
    const idx = await readIndex(ctx, input.at);
    if (!input.id) return { commits: commitLog(idx.db, input.limit ?? 20, perCommit(input.tickets)) };
    const id = resolveHistoricId(idx.db, input.id);
    // The latest 20 changes unless asked for more, as the help says (a ticket edited in 20,000
    // commits printed all of them).
    return { ticket: ticketRefs(idx.db, [id])[0], changes: ticketLog(idx.db, id, input.limit ?? 20) };
  },
});
