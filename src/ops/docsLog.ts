import { z } from 'zod';
import { normaliseDocPath } from '../model/docPath.js';
import { fileVersions } from '../index/docVersions.js';
import { limit } from './readInput.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

export default defineOp({
  name: 'docs-log',
  summary: "A doc's versions: the commits that wrote it, newest first (read one with `docs show --at <commit>`)",
  kind: 'read',
  cacheable: true,
  cli: { args: ['path'], short: { n: 'limit' } },
  input: z.object({
    path: z.string().min(1).describe('doc path, e.g. docs/specs/parser.md (the docs/ prefix may be left out)'),
    limit: limit.describe('at most this many versions (default 100)'),
  }),
  output: lazyShape(() =>
    z.strictObject({
      path: z.string(),
      versions: z.array(
        z.strictObject({
          commit: z.string(),
          time: z.string(),
          author: z.string(),
          subject: z.string(),
          blob: z.string().nullable(),
        }),
      ),
    }),
  ),
  async run(ctx, input) {
    const path = normaliseDocPath(input.path);
    return { path, versions: fileVersions((await ctx.index()).db, path, input.limit ?? 100) };
  },
});
