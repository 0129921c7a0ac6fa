import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { countSearch, searchTickets } from '../index/search.js';
import { keywordCloud } from '../index/keywordCloud.js';
import { atRev, readIndex } from './readInput.js';
import { page, pageInputs, pageOfAll } from './page.js';
import { defineOp } from './op.js';
import { lazyShape, ticketSummaryShape } from '../model/jsonShapes.js';

export const SEARCH_LIMIT = 20;

export default defineOp({
  name: 'search',
  summary: 'Full-text search over titles, descriptions and comments, ranked; an imported id (alias) finds its ticket',
  kind: 'read',
  cacheable: true,
  cli: { args: ['...words'], short: { n: 'limit' } },
  input: z.object({
    words: z.array(z.string()).describe('words to find; "quoted phrases" stay together'),
    open: z.boolean().optional().describe('only open work'),
    archived: z.boolean().optional().describe('also search archived tickets (see `tack archive`)'),
    cloud: z.boolean().optional().describe('a weighted keyword cloud of the matching tickets instead of the hits'),
    ...pageInputs(SEARCH_LIMIT),
    store: z
      .string()
      .min(1)
      .optional()
      .describe('only tickets of this workspace store: local or a member name (see `tack workspace`)'),
    at: atRev,
  }),
  output: lazyShape(() =>
    z.union([
      z.array(ticketSummaryShape().extend({ snippet: z.string(), score: z.number() })),
      z.strictObject({
        query: z.string(),
        tickets: z.number(),
        terms: z.array(z.strictObject({ term: z.string(), weight: z.number(), tickets: z.number() })),
      }),
    ]),
  ),
  async run(ctx, input) {
    const text = input.words.join(' ').trim();
    if (!text && !input.cloud) throw new TackError('invalid_input', 'search needs words to look for; received none');
    if (!input.at && !input.cloud && (ctx.store().workspace || input.store)) {
      return pageOfAll(
        await (await import('./workspaceOps.js')).searchOp(ctx, { ...input, text, limit: undefined }),
        input,
        SEARCH_LIMIT,
      );
    }
    const idx = await readIndex(ctx, input.at);
    if (input.cloud)
      return keywordCloud(idx.db, text, {
        open: input.open,
        archived: input.archived,
        limit: input.limit || undefined,
      });
    const opts = { open: input.open, archived: input.archived };
    return page(
      input,
      SEARCH_LIMIT,
      (limit, offset) => searchTickets(idx.db, text, { ...opts, limit, offset }),
      () => countSearch(idx.db, text, opts),
    );
  },
});
