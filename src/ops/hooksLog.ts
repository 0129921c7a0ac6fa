import { z } from 'zod';
import { readDeliveries } from '../store/deliveryLog.js';
import { pendingDelivery } from '../store/triggerSpool.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { deliveryRecordShape } from '../model/settingsShapes.js';
import { limit } from './readInput.js';

/** The delivery log of this clone's event hooks and webhooks, newest last. */
export default defineOp({
  name: 'hooks-log',
  summary: 'Show the delivery log of event hooks and webhooks (attempts, status, duration, error)',
  kind: 'read',
  localOnly: true, // this clone's triggers: local commands, URLs and their delivery log
  cli: { short: { n: 'limit' } },
  input: z.object({
    limit: limit.describe('at most this many deliveries, newest last (default 20)'),
    failed: z.boolean().optional().describe('only deliveries that failed'),
  }),
  output: lazyShape(() => z.strictObject({ deliveries: z.array(deliveryRecordShape()), pending: z.boolean() })),
  async run(ctx, input) {
    const store = ctx.store();
    const n = input.limit ?? 20;
    let deliveries = readDeliveries(store, input.failed ? 10_000 : n);
    if (input.failed) deliveries = deliveries.filter((d) => !d.ok).slice(-n);
    return { deliveries, pending: pendingDelivery(store) };
  },
});
