import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { normaliseDocPath } from '../model/docPath.js';
import { getDoc, similarDocs } from '../index/docsQueries.js';
import { atRev, readIndex } from './readInput.js';
import { defineOp } from './op.js';

export default defineOp({
  name: 'docs-show',
  summary: 'Show a doc: its markdown and the tickets that link to it',
  kind: 'read',
  cacheable: true,
  cli: { args: ['path'] },
  input: z.object({
    path: z.string().min(1).describe('doc path, e.g. docs/specs/parser.md (the docs/ prefix may be left out)'),
    at: atRev,
  }),
  async run(ctx, input) {
    const path = normaliseDocPath(input.path);
    const idx = await readIndex(ctx, input.at);
    const doc = getDoc(idx.db, path);
    if (doc) return doc;
    const stem =
      path
        .replace(/^docs\//, '')
        .replace(/\.md$/, '')
        .split('/')
        .pop() ?? '';
    const near = similarDocs(idx.db, stem);
    throw new TackError(
      'not_found',
      `no doc at ${path}; expected the path of a doc in the store${near.length ? ` (similar: ${near.join(', ')})` : ' (see `tack docs`)'}`,
      { path, similar: near },
    );
  },
});
