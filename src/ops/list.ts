import { z } from 'zod';
import { indexedSchema } from '../index/indexDb.js';
import { countTickets, listedRows, type TicketSummary } from '../index/queries.js';
import { resolveId } from '../index/ticketIds.js';
import { checkIn, meInList } from './ticketInput.js';
import { atRev, readIndex, storeInput } from './readInput.js';
import { heldRows, pageFrom, pageInputs, type RowSource } from './page.js';
import { defineOp, type OpContext } from './op.js';
import { ticketSummariesShape } from '../model/jsonShapes.js';
import { TackError } from '../model/errors.js';
import { CATEGORIES } from '../model/schema.js';

/** A screenful: enough to scan, small enough for an agent's context. */
export const LIST_LIMIT = 50;

const listInput = z.object({
  status: z.array(z.string()).optional().describe('only these states (repeatable)'),
  category: z.array(z.string()).optional().describe('only these state categories (repeatable)'),
  type: z.array(z.string()).optional().describe('only these types (repeatable)'),
  label: z.array(z.string()).optional().describe('must have every one of these labels (repeatable)'),
  assignee: z.array(z.string()).optional().describe('assigned to (repeatable; "none" for unassigned)'),
  owner: z.array(z.string()).optional().describe('owned by (the owner field; repeatable; "me"; "none")'),
  priority: z.array(z.string()).optional().describe('only these priorities (repeatable)'),
  project: z.array(z.string()).optional().describe('only these projects (repeatable)'),
  parent: z.string().optional().describe('children of this ticket'),
  all: z.boolean().optional().describe('closed and archived work too'),
  archived: z.boolean().optional().describe('only archived tickets (see `tack archive`)'),
  reviewed: z.enum(['any', 'approved', 'rejected']).optional().describe('review verdict (any: either)'),
  sort: z
    .enum(['status', 'priority', 'created', 'updated', 'title', 'id', 'workflow'])
    .optional()
    .describe(
      "order (default: status, then priority; workflow: the web list's, triage to canceled, then priority, then latest update)",
    ),
  ...pageInputs(LIST_LIMIT),
  store: storeInput,
  at: atRev,
});

export default defineOp({
  name: 'list',
  summary: 'List tickets (open work by default)',
  kind: 'read',
  cacheable: true,
  cli: { short: { s: 'status', t: 'type', l: 'label', a: 'assignee', p: 'priority', n: 'limit' } },
  input: listInput,
  output: ticketSummariesShape,
  async run(ctx, input) {
    return pageFrom(input, LIST_LIMIT, await listRows(ctx, input));
  },
  rows: listRows,
});

type ListInput = z.infer<typeof listInput>;

async function listRows(ctx: OpContext, given: ListInput): Promise<RowSource<TicketSummary>> {
  const input = {
    ...given,
    assignee: meInList(given.assignee, () => ctx.user()),
    owner: meInList(given.owner, () => ctx.user()),
  };
  // A workspace spans every store (unless --at: a revision is of this store only).
  if (!input.at && (ctx.store().workspace || input.store))
    return heldRows(await (await import('./workspaceOps.js')).listOp(ctx, { ...input, limit: undefined }));
  const idx = await readIndex(ctx, input.at);
  const schema = indexedSchema(idx.db)!;
  for (const s of input.status ?? [])
    checkIn(
      'status',
      s,
      schema.states.map((x) => x.name),
    );
  for (const c of input.category ?? []) checkIn('category', c, CATEGORIES);
  for (const t of input.type ?? []) checkIn('type', t, schema.types);
  for (const p of input.priority ?? []) checkIn('priority', p, schema.priorities);
  if (input.reviewed && !schema.fields.some((f) => f.name === 'verdict')) {
    throw new TackError(
      'invalid_schema',
      'list --reviewed needs the "verdict" field in schema.yaml, which this store lacks (made before agent support); run `tack setup agents` to add it',
      { missing: ['verdict'] },
    );
  }
  const parent = input.parent ? resolveId(idx.db, input.parent) : undefined;
  const filter = { ...input, parent };
  return {
    read: (limit, offset) => listedRows(idx.db, { ...filter, limit, offset }),
    count: () => countTickets(idx.db, filter),
  };
}
