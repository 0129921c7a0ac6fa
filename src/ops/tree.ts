import { z } from 'zod';
import { resolveId } from '../index/ticketIds.js';
import { ticketTree } from '../index/treeQuery.js';
import { atRev, readIndex } from './readInput.js';
import { boundInput, boundOf } from './page.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { treeNodeShape } from '../model/workShapes.js';

/** Tickets drawn unless asked for more: the forest of 100,000 tickets was 71,500 lines (31 MB of JSON). */
const TREE_LIMIT = 200;
/**
 * Levels drawn at most: deeper nodes count in their parent's `hidden_children`. A chain of
 * tickets anyone can write (30,000 parents deep) made every walk of the drawing, its JSON
 * and its checks overflow the call stack; no one reads a hierarchy 100 levels deep.
 */
const MAX_DEPTH = 100;

export default defineOp({
  name: 'tree',
  summary: 'The parent and dependency tree, drawn left to right (without an id: the forest of open work)',
  kind: 'read',
  cacheable: true,
  cli: { args: ['id'], short: { k: 'kind', d: 'depth', n: 'limit' } },
  input: z.object({
    id: z
      .string()
      .min(1)
      .optional()
      .describe('root ticket (id or unique prefix); its whole subtree is shown, closed tickets included'),
    kind: z
      .enum(['both', 'parent', 'blocks'])
      .optional()
      .describe(
        'parent: the hierarchy; blocks: blockers on the left, what they block to the right; both (default): the hierarchy with blocks edges noted',
      ),
    all: z.boolean().optional().describe('include completed and canceled tickets in the forest'),
    depth: z
      .number()
      .int()
      .nonnegative()
      .max(MAX_DEPTH)
      .optional()
      .describe(`levels to expand below each root (default and at most ${MAX_DEPTH})`),
    limit: boundInput(`at most this many tickets drawn, in the order drawn (default ${TREE_LIMIT}; 0: all)`),
    at: atRev,
  }),
  output: lazyShape(() =>
    z.strictObject({
      kind: z.enum(['parent', 'blocks', 'both']),
      root: z.string().nullable(),
      count: z.number(),
      total: z.number(),
      roots: z.array(treeNodeShape()),
    }),
  ),
  async run(ctx, input) {
    const idx = await readIndex(ctx, input.at);
    const root = input.id ? resolveId(idx.db, input.id) : undefined;
    const limit = boundOf(input.limit, TREE_LIMIT);
    const depth = input.depth ?? MAX_DEPTH;
    return ticketTree(idx.db, { kind: input.kind ?? 'both', root, all: input.all, depth, limit });
  },
});
