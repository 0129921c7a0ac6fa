import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { TackError } from '../model/errors.js';
import type { PingEvent } from '../model/triggerEvent.js';
import { readSettings } from '../store/store.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { deliveryRecordShape } from '../model/settingsShapes.js';
import { deliverWebhook } from './triggerDeliver.js';

/** Send a `ping` event to the webhooks now and say how each answered. */
export default defineOp({
  name: 'hooks-test',
  summary: 'Send a ping event to the configured webhooks (or one of them) and report each answer',
  kind: 'write',
  localOnly: true, // this clone's triggers: local commands, URLs and their delivery log
  cli: { args: ['name'] },
  input: z.object({
    name: z.string().min(1).optional().describe('webhook to ping (default: all)'),
    retry: z.boolean().optional().describe('retry as a real delivery would (default: one attempt)'),
  }),
  output: lazyShape(() =>
    z.strictObject({ ok: z.boolean(), deliveries: z.array(deliveryRecordShape()), message: z.string() }),
  ),
  async run(ctx, input) {
    const store = ctx.store();
    const config = readSettings(store.repo)?.triggers ?? {};
    const all = Object.entries(config.webhooks ?? {});
    const targets = input.name ? all.filter(([n]) => n === input.name) : all;
    if (input.name && targets.length === 0) {
      throw new TackError(
        'not_found',
        `no webhook "${input.name}"; configured: ${all.map(([n]) => n).join(', ') || 'none'}`,
        { name: input.name },
      );
    }
    if (targets.length === 0)
      throw new TackError('not_found', 'no webhooks configured; add one with `tack config webhook.NAME.url URL`');
    const ping: PingEvent = {
      id: `evt_ping_${randomUUID().replace(/-/g, '').slice(0, 16)}`,
      event: 'ping',
      names: ['ping'],
      time: ctx.now(),
      actor: { name: ctx.user(), email: null },
      store: { ref: store.ref },
      message: 'tack hooks test',
    };
    const results = await Promise.all(
      targets.map(([n, h]) => deliverWebhook(ctx.effects, store, config, n, h, ping, input.retry ? undefined : 1)),
    );
    const failed = results.filter((r) => !r.ok).length;
    const lines = results.map(
      (r) =>
        `${r.ok ? 'ok    ' : 'FAILED'} ${r.target}  ${r.url}  ${r.status ?? '-'}  ${r.duration_ms} ms${r.error ? `  ${r.error}` : ''}`,
    );
    if (failed > 0) {
      throw new TackError(
        'check_failed',
        `${failed} of ${results.length} webhook(s) failed the ping:\n${lines.join('\n')}`,
        { deliveries: results },
      );
    }
    return { ok: true, deliveries: results, message: lines.join('\n') };
  },
});
