import { z } from 'zod';
import { readSettings } from '../store/store.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { triggerConfigShape } from '../model/settingsShapes.js';
import { describeTriggers, maskTriggers } from './triggerSettings.js';

/** The event hooks and webhooks this clone runs (local settings; secrets masked). */
export default defineOp({
  name: 'hooks-list',
  summary: 'List the event hooks, outbound webhooks and the inbound webhook secret of this clone (secrets masked)',
  kind: 'read',
  localOnly: true, // this clone's triggers: local commands, URLs and their delivery log
  input: z.object({}),
  output: lazyShape(() => z.strictObject({ triggers: triggerConfigShape(), message: z.string() })),
  async run(ctx) {
    const triggers = maskTriggers(readSettings(ctx.store().repo)?.triggers) ?? {};
    const lines = describeTriggers(triggers);
    return {
      triggers,
      message: lines.length
        ? lines.join('\n')
        : 'no triggers; add one with `tack config on.ticket.created "CMD"` or `tack config webhook.NAME.url URL` (docs/triggers.md)',
    };
  },
});
