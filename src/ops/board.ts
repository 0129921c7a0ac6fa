import { z } from 'zod';
import { indexedSchema } from '../index/indexDb.js';
import { boardCards } from '../index/boardCards.js';
import type { TicketSummary } from '../index/queries.js';
import { atRev, readIndex } from './readInput.js';
import { boundInput, boundOf } from './page.js';
import { defineOp } from './op.js';
import { lazyShape, ticketSummariesShape } from '../model/jsonShapes.js';
import { meInList } from './ticketInput.js';

export interface BoardColumn {
  state: string;
  category: string;
  /** Tickets in this state (all of them, even past `limit`). */
  count: number;
  tickets: TicketSummary[];
}

/** Cards per column unless asked for more: one answer never floods a terminal or an agent's context. */
const BOARD_LIMIT = 50;

/** Columns in workflow order (the schema's states); in each, ranked cards by rank, then the most recently updated. */
export default defineOp({
  name: 'board',
  summary: "The board: open tickets in columns by state (the web UI's board, in a terminal)",
  kind: 'read',
  cacheable: true,
  cli: { short: { t: 'type', l: 'label', a: 'assignee', n: 'limit' } },
  input: z.object({
    type: z.array(z.string()).optional().describe('only these types (repeatable)'),
    label: z.array(z.string()).optional().describe('must have every one of these labels (repeatable)'),
    assignee: z.array(z.string()).optional().describe('assigned to (repeatable; "none" for unassigned)'),
    project: z.array(z.string()).optional().describe('only these projects (repeatable)'),
    all: z.boolean().optional().describe('also the completed and canceled columns'),
    limit: boundInput(
      `at most this many tickets per column (default ${BOARD_LIMIT}; 0: all); each column counts all of its own`,
    ),
    at: atRev,
  }),
  output: lazyShape(() =>
    z.strictObject({
      columns: z.array(
        z.strictObject({ state: z.string(), category: z.string(), count: z.number(), tickets: ticketSummariesShape() }),
      ),
    }),
  ),
  async run(ctx, input) {
    const idx = await readIndex(ctx, input.at);
    const schema = indexedSchema(idx.db)!;
    const { type, label, project, all } = input;
    const assignee = meInList(input.assignee, () => ctx.user());
    const { counts, cards } = boardCards(
      idx.db,
      { type, label, assignee, project, all },
      boundOf(input.limit, BOARD_LIMIT),
    );
    const columns: BoardColumn[] = schema.states
      .filter((s) => input.all || (s.category !== 'completed' && s.category !== 'canceled'))
      .map((s) => ({
        state: s.name,
        category: s.category,
        count: counts.get(s.name) ?? 0,
        tickets: cards.get(s.name) ?? [],
      }));
    return { columns };
  },
});
