import { z } from 'zod';
import { LAYOUTS } from '../model/ticketPath.js';
import { CATEGORIES, FIELD_TYPES, type Schema } from '../model/schema.js';
import { requireRev } from '../git/refs.js';
import { loadSchema } from '../store/storeReader.js';
import { atRev } from './readInput.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

export default defineOp({
  name: 'schema-show',
  summary: 'Show the metaschema: states and their categories, types, priorities, relations, fields, projects',
  kind: 'read',
  cacheable: true,
  input: z.object({ at: atRev }),
  output: lazyShape(() =>
    z.strictObject({
      version: z.number(),
      idPrefix: z.string(),
      types: z.array(z.string()),
      defaultType: z.string(),
      states: z.array(
        z.strictObject({
          name: z.string(),
          category: z.enum(CATEGORIES),
          waiting: z.boolean().optional(),
        }),
      ),
      defaultStatus: z.string(),
      priorities: z.array(z.string()),
      defaultPriority: z.string(),
      relations: z.array(z.strictObject({ name: z.string(), inverse: z.string(), acyclic: z.boolean() })),
      fields: z.array(
        z.strictObject({
          name: z.string(),
          type: z.enum(FIELD_TYPES),
          values: z.array(z.string()).optional(),
          description: z.string().optional(),
        }),
      ),
      projects: z.array(z.strictObject({ key: z.string(), name: z.string(), description: z.string().optional() })),
      containers: z.array(z.string()).optional(),
      /** Where new ticket files go: tickets/<id>.md (flat) or tickets/<shard>/<id>.md (fanout). */
      layout: z.enum(LAYOUTS).optional(),
      gates: z
        .strictObject({
          selfReview: z.enum(['refuse', 'allow']),
          selfAnswer: z.enum(['refuse', 'allow']),
          completeBy: z.enum(['anyone', 'human']),
          agentTicketsStartIn: z.string().nullable(),
          criteriaBefore: z.string().nullable(),
        })
        .optional(),
    }),
  ),
  async run(ctx, input): Promise<Schema> {
    const store = ctx.store();
    return loadSchema(store, input.at ? requireRev(store.repo, input.at) : null);
  },
});
