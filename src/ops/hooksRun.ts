import { z } from 'zod';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { drainSpool } from './triggerDeliver.js';

/**
 * Deliver the spooled trigger events now. A write that spooled commits starts this itself
 * in a detached process; run it by hand to retry what a killed deliverer left behind.
 */
export default defineOp({
  name: 'hooks-run',
  summary: 'Deliver pending trigger events now (event hooks and webhooks; writes start this themselves)',
  kind: 'write',
  localOnly: true, // this clone's triggers: local commands, URLs and their delivery log
  input: z.object({}),
  output: lazyShape(() =>
    z.strictObject({
      commits: z.number(),
      events: z.number(),
      deliveries: z.number(),
      failed: z.number(),
      busy: z.boolean(),
      message: z.string(),
    }),
  ),
  async run(ctx) {
    const r = await drainSpool(ctx);
    const message =
      r.busy && r.commits === 0
        ? 'another deliverer is running; it delivers what is pending'
        : `${r.commits} commit(s), ${r.events} event(s), ${r.deliveries} deliveries, ${r.failed} failed (see \`tack hooks log\`)`;
    return { ...r, message };
  },
});
