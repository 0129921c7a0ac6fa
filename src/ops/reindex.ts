import { z } from 'zod';
import { rebuildIndex } from '../index/rebuildIndex.js';
import { defineOp } from './op.js';

export default defineOp({
  name: 'reindex',
  summary: 'Throw the SQLite index away and rebuild it from git',
  // A write for HTTP's sake: it rebuilds state, so it must not be reachable by a GET.
  kind: 'write',
  input: z.object({}),
  async run(ctx) {
    return rebuildIndex(ctx.store(), (done, total, label) => ctx.progress(done, total, label));
  },
});
