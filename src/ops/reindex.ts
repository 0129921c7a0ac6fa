import { z } from 'zod';
import { rebuildIndex } from '../index/rebuildIndex.js';
import { defineOp } from './op.js';

export default defineOp({
  name: 'reindex',
  summary: 'Throw the SQLite index away and rebuild it from git',
  kind: 'read',
  input: z.object({}),
  async run(ctx) {
    return rebuildIndex(ctx.store(), (done, total, label) => ctx.progress(done, total, label));
  },
});
