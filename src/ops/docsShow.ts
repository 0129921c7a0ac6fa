import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { cutText } from '../model/textCut.js';
import { normaliseDocPath } from '../model/docPath.js';
import { getDoc, similarDocs } from '../index/docsQueries.js';
import { atRev, readIndex } from './readInput.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { docDetailsShape } from '../model/workShapes.js';

/**
 * Part of a long doc, from a character offset, within a byte budget: what an agent's
 * context can take, with where the next part starts (`next_offset`, null at the end).
 */
function bodyPage<D extends { body: string }>(doc: D, offset: number, maxBytes: number) {
  const part = cutText(doc.body.slice(offset), maxBytes);
  const end = Math.min(offset + part.shown, doc.body.length);
  return { ...doc, body: part.text, offset, chars: doc.body.length, next_offset: end < doc.body.length ? end : null };
}

export default defineOp({
  name: 'docs-show',
  summary: 'Show a doc: its markdown and the tickets that link to it',
  kind: 'read',
  cacheable: true,
  cli: { args: ['path'] },
  input: z.object({
    path: z.string().min(1).describe('e.g. docs/specs/parser.md (the docs/ prefix may be left out)'),
    offset: z.number().int().nonnegative().optional().describe('start the body at this character'),
    limit: z.number().int().nonnegative().optional().describe('at most this many bytes of body (default: all; 0: all)'),
    at: atRev,
  }),
  output: lazyShape(() =>
    docDetailsShape().extend({
      offset: z.number().optional(),
      chars: z.number().optional(),
      next_offset: z.number().nullable().optional(),
    }),
  ),
  async run(ctx, input) {
    const path = normaliseDocPath(input.path);
    const idx = await readIndex(ctx, input.at);
    const doc = getDoc(idx.db, path);
    if (doc) return input.offset || input.limit ? bodyPage(doc, input.offset ?? 0, input.limit || Infinity) : doc;
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
