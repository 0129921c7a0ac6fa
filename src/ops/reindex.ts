import { z } from 'zod';
import { rebuildIndex } from '../index/rebuildIndex.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

export default defineOp({
  name: 'reindex',
  summary: 'Throw the SQLite index away and rebuild it from git',
  // A write for HTTP's sake: it rebuilds state, so it must not be reachable by a GET.
  kind: 'write',
  input: z.object({}),
  output: lazyShape(() =>
    z.strictObject({
      path: z.string(),
      commit: z.string().nullable(),
      tickets: z.number(),
      docs: z.number(),
      commits: z.number(),
      history: z.number(),
      problems: z.number(),
      elapsed_ms: z.number(),
    }),
  ),
  async run(ctx) {
    return rebuildIndex(ctx.store(), (done, total, label) => ctx.progress(done, total, label));
  },
});
