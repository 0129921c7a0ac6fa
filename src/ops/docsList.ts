import { z } from 'zod';
import { listDocs } from '../index/docsQueries.js';
import { atRev, readIndex } from './readInput.js';
import { pageInputs, pageOfAll } from './page.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { docEntryShape } from '../model/workShapes.js';

const DOCS_LIMIT = 100;

export default defineOp({
  name: 'docs-list',
  summary: "The store's docs (docs/**/*.md) and the tickets that link to them",
  kind: 'read',
  cacheable: true,
  input: z.object({
    missing: z.boolean().optional().describe('only doc paths tickets link to that do not exist yet'),
    ...pageInputs(DOCS_LIMIT),
    at: atRev,
  }),
  output: lazyShape(() => z.array(docEntryShape())),
  async run(ctx, input) {
    const docs = listDocs((await readIndex(ctx, input.at)).db);
    return pageOfAll(input.missing ? docs.filter((d) => !d.exists) : docs, input, DOCS_LIMIT);
  },
});
