import { z } from 'zod';
import type { Schema } from '../model/schema.js';
import { requireRev } from '../git/refs.js';
import { loadSchema } from '../store/storeReader.js';
import { atRev } from './readInput.js';
import { defineOp } from './op.js';

export default defineOp({
  name: 'schema-show',
  summary: 'Show the metaschema: states and their categories, types, priorities, relations, fields, projects',
  kind: 'read',
  cacheable: true,
  input: z.object({ at: atRev }),
  async run(ctx, input): Promise<Schema> {
    const store = ctx.store();
    return loadSchema(store, input.at ? requireRev(store.repo, input.at) : null);
  },
});
