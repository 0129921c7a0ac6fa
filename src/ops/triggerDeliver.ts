import { randomUUID } from 'node:crypto';
import { categoryOf } from '../model/schema.js';
import { buildEvent, type AnyEvent, type TriggerEvent } from '../model/triggerEvent.js';
import {
  commandsFor,
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  DEFAULT_TIMEOUT_MS,
  durationMs,
  MAX_ATTEMPTS,
  resolveSecret,
  wanted,
  type TriggerConfig,
  type WebhookConfig,
} from '../model/triggers.js';
import { indexedSchema } from '../index/indexDb.js';
import { commitTicketFacts } from '../index/triggerQueries.js';
import { appendDelivery, type DeliveryRecord } from '../store/deliveryLog.js';
import { readSettings, type Store } from '../store/store.js';
import {
  claimBatches,
  finishBatch,
  pendingDelivery,
  readBatch,
  tryDeliveryLock,
  type SpoolEntry,
} from '../store/triggerSpool.js';
import type { OpEffects } from './effects.js';
import type { OpContext } from './op.js';
import { sendWebhook } from './webhookSend.js';

export interface DrainReport {
  /** Commits taken from the spool. */
  commits: number;
  events: number;
  deliveries: number;
  failed: number;
  /** Another deliverer held the lock: it delivers what was spooled. */
  busy: boolean;
}

/** The trigger events of one spooled commit, derived from the index (null: the commit is gone). */
export async function eventsOfCommit(
  ctx: OpContext,
  entry: Pick<SpoolEntry, 'commit' | 'ref'>,
): Promise<TriggerEvent[] | null> {
  const idx = await ctx.index();
  const facts = commitTicketFacts(idx.db, idx.store.repo, entry.commit, entry.ref);
  if (!facts) return null;
  const schema = indexedSchema(idx.db);
  const category = (s: string) => (schema ? (categoryOf(schema, s) ?? null) : null);
  return facts.map((f) => buildEvent(f, category));
}

const baseRecord = (event: AnyEvent) => ({
  time: new Date().toISOString(),
  event: event.event,
  event_id: event.id,
  ticket: 'ticket' in event ? event.ticket.id : null,
  delivery: randomUUID(),
});

/** Deliver one webhook: returns the log record (also appended to the log). */
export async function deliverWebhook(
  effects: OpEffects,
  store: Store,
  config: TriggerConfig,
  name: string,
  hook: WebhookConfig,
  event: AnyEvent,
  attempts?: number,
): Promise<DeliveryRecord> {
  const base = baseRecord(event);
  const r = await sendWebhook(effects.fetch, {
    url: hook.url,
    body: JSON.stringify(event),
    event: event.event,
    delivery: base.delivery,
    secret: resolveSecret(hook.secret, process.env),
    attempts: Math.max(1, Math.min(MAX_ATTEMPTS, attempts ?? hook.attempts ?? DEFAULT_ATTEMPTS)),
    timeoutMs: durationMs(config.timeout, DEFAULT_TIMEOUT_MS),
    backoffMs: durationMs(config.backoff, DEFAULT_BACKOFF_MS),
  });
  const rec: DeliveryRecord = {
    ...base,
    kind: 'webhook',
    target: name,
    url: hook.url,
    ok: r.ok,
    status: r.status,
    duration_ms: r.duration_ms,
    attempts: r.attempts,
    ...(r.error ? { error: r.error } : {}),
  };
  appendDelivery(store, rec);
  return rec;
}

async function deliverCommand(
  effects: OpEffects,
  store: Store,
  config: TriggerConfig,
  command: string,
  event: TriggerEvent,
): Promise<DeliveryRecord> {
  const base = baseRecord(event);
  const r = await effects.runShell(command, JSON.stringify(event), {
    cwd: store.repo.workTree,
    timeoutMs: durationMs(config.timeout, DEFAULT_TIMEOUT_MS),
    env: {
      TACK_EVENT: event.event,
      TACK_EVENT_ID: event.id,
      TACK_TICKET: event.ticket.id,
      TACK_DELIVERY: base.delivery,
    },
  });
  const rec: DeliveryRecord = {
    ...base,
    kind: 'command',
    target: command,
    ok: r.status === 0,
    status: r.status,
    duration_ms: r.duration_ms,
    ...(r.output ? { output: r.output } : {}),
    ...(r.timedOut ? { timed_out: true } : {}),
    ...(r.error ? { error: r.error } : {}),
  };
  appendDelivery(store, rec);
  return rec;
}

/** Run the hooks and webhooks that want this event, all at once; one log record each. */
export async function deliverEvent(
  effects: OpEffects,
  store: Store,
  config: TriggerConfig,
  event: TriggerEvent,
): Promise<DeliveryRecord[]> {
  const jobs: Array<Promise<DeliveryRecord>> = commandsFor(config.on, event.names).map((c) =>
    deliverCommand(effects, store, config, c, event),
  );
  for (const [name, hook] of Object.entries(config.webhooks ?? {})) {
    if (hook.url && wanted(hook.events, event.names))
      jobs.push(deliverWebhook(effects, store, config, name, hook, event));
  }
  return Promise.all(jobs);
}

async function deliverCommit(ctx: OpContext, store: Store, entry: SpoolEntry, report: DrainReport): Promise<void> {
  // Read per commit: a change of the settings applies from the next commit on.
  const config = readSettings(store.repo)?.triggers;
  if (!config) return;
  for (const e of (await eventsOfCommit(ctx, entry)) ?? []) {
    report.events++;
    const recs = await deliverEvent(ctx.effects, store, config, e);
    report.deliveries += recs.length;
    report.failed += recs.filter((r) => !r.ok).length;
  }
}

async function drainBatches(ctx: OpContext, store: Store, report: DrainReport): Promise<void> {
  for (let batches = claimBatches(store); batches.length > 0; batches = claimBatches(store)) {
    for (const file of batches) {
      for (const entry of readBatch(file)) {
        report.commits++;
        try {
          await deliverCommit(ctx, store, entry, report);
        } catch (e) {
          // One commit that cannot be read must not hold back the others.
          report.failed++;
          appendDelivery(store, {
            time: new Date().toISOString(),
            kind: 'command',
            target: '(deliverer)',
            event: 'error',
            event_id: '',
            ticket: null,
            delivery: randomUUID(),
            ok: false,
            status: null,
            duration_ms: 0,
            error: `commit ${entry.commit.slice(0, 8)}: ${(e as Error).message}`,
          });
        }
      }
      finishBatch(file);
    }
  }
}

/**
 * Deliver everything spooled, in commit order, one deliverer per clone at a time. A
 * writer that spools while we finish finds the lock taken and leaves its entries to us,
 * so after releasing the lock we look once more.
 */
export async function drainSpool(ctx: OpContext): Promise<DrainReport> {
  const store = ctx.store();
  const report: DrainReport = { commits: 0, events: 0, deliveries: 0, failed: 0, busy: false };
  for (;;) {
    const release = tryDeliveryLock(store);
    if (!release) return { ...report, busy: true };
    try {
      await drainBatches(ctx, store, report);
    } finally {
      release();
    }
    if (!pendingDelivery(store)) return report;
  }
}
