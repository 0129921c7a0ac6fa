import { z } from 'zod';
import { blockedTickets } from '../index/queries.js';
import { atRev, limit, readIndex } from './readInput.js';
import { defineOp } from './op.js';

export default defineOp({
  name: 'blocked',
  summary: 'Open work waiting on an open blocker',
  kind: 'read',
  cacheable: true,
  cli: { short: { n: 'limit' } },
  input: z.object({ limit, at: atRev }),
  async run(ctx, input) {
    return blockedTickets((await readIndex(ctx, input.at)).db, input.limit);
  },
});
