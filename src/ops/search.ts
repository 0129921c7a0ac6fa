import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { countSearch, eachSearchHit, type SearchHit } from '../index/search.js';
import { keywordCloud } from '../index/keywordCloud.js';
import { atRev, readIndex, storeInput } from './readInput.js';
import { heldRows, pageFrom, pageInputs, type RowSource } from './page.js';
import { defineOp, type OpContext } from './op.js';
import { lazyShape, ticketSummaryShape } from '../model/jsonShapes.js';

export const SEARCH_LIMIT = 20;

const searchInput = z.object({
  words: z.array(z.string()).describe('words to find; "quoted phrases" stay together'),
  open: z.boolean().optional().describe('only open work'),
  archived: z.boolean().optional().describe('also search archived tickets (see `tack archive`)'),
  cloud: z.boolean().optional().describe('a weighted keyword cloud of the matching tickets instead of the hits'),
  ...pageInputs(SEARCH_LIMIT),
  store: storeInput,
  at: atRev,
});

export default defineOp({
  name: 'search',
  summary: 'Full-text search over titles, descriptions and comments, ranked; an imported id (alias) finds its ticket',
  kind: 'read',
  cacheable: true,
  cli: { args: ['...words'], short: { n: 'limit' } },
  input: searchInput,
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
    if (!input.cloud) return pageFrom(input, SEARCH_LIMIT, await searchRows(ctx, input));
    const idx = await readIndex(ctx, input.at);
    return keywordCloud(idx.db, input.words.join(' ').trim(), {
      open: input.open,
      archived: input.archived,
      limit: input.limit || undefined,
    });
  },
  rows: async (ctx, input) => (input.cloud ? undefined : searchRows(ctx, input)),
});

type SearchInput = z.infer<typeof searchInput>;

async function searchRows(ctx: OpContext, input: SearchInput): Promise<RowSource<SearchHit>> {
  const text = input.words.join(' ').trim();
  if (!text) throw new TackError('invalid_input', 'search needs words to look for; received none');
  if (!input.at && (ctx.store().workspace || input.store))
    return heldRows(await (await import('./workspaceOps.js')).searchOp(ctx, { ...input, text, limit: undefined }));
  const idx = await readIndex(ctx, input.at);
  const opts = { open: input.open, archived: input.archived };
  return {
    read: (limit, offset) => eachSearchHit(idx.db, text, { ...opts, limit, offset }),
    count: () => countSearch(idx.db, text, opts),
  };
}
