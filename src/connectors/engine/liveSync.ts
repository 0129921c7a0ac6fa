import type { OpContext } from '../../ops/op.js';
import type { Connector, ConnectorKind, Headers, RateBudget } from '../connector.js';
import { ConnectionStore } from './connectionStore.js';
import { isKind, KINDS, makeConnector, resolveCredentials } from './factories.js';
import { TackError } from '../../model/errors.js';
import { nextPollDelay } from './pollSchedule.js';
import { KeyedQueue } from './retry.js';
import { syncPass, type SyncResult } from './syncPass.js';
import { firstDelivery } from '../../store/seenDeliveries.js';

/** The part of the server's HookRegistry live mode needs (surfaces do not import each other). */
export interface HookSink {
  register(
    name: string,
    handler: {
      verify(rawBody: Buffer, headers: Headers): boolean | Promise<boolean>;
      handle(ctx: OpContext, rawBody: Buffer, headers: Headers): Promise<unknown>;
    },
  ): void;
}

export interface LiveSync {
  connections: ConnectorKind[];
  /** Resolves when the poller's current pass (if any) is over. */
  stop(): Promise<void>;
}

export interface LiveOptions {
  ctx: OpContext;
  hooks: HookSink;
  /** Poll interval (ms); default: the connection's --poll, TACK_SYNC_POLL_MS, or 60 s. 0: no poller. */
  pollMs?: number;
  log?: (line: string) => void;
  /**
   * Runs one pass (`only`: the issues a webhook named). The server runs each in a child
   * process, so a pass's git work and commits never hold its event loop; default: here.
   */
  runPass?: (kind: ConnectorKind, only?: string[]) => Promise<LivePass>;
}

/** One live pass: its result, and the service's budget as the pass left it and what it cost. */
export interface LivePass {
  result: SyncResult;
  budget?: RateBudget;
  cost: number;
}

/** A LivePass as a child process answered it (checked: it crossed a process boundary). */
export function asLivePass(v: unknown): LivePass {
  const p = v as Partial<LivePass> | null;
  const r = p?.result;
  if (!r || !Array.isArray(r.commits) || typeof r.remoteWrites !== 'number' || !Array.isArray(r.errors))
    throw new TackError(
      'internal',
      `a live sync pass answered ${JSON.stringify(v)?.slice(0, 200)}; expected its result`,
    );
  return { result: r, budget: p?.budget, cost: typeof p?.cost === 'number' ? p.cost : 0 };
}

/** A pass with `connector`, or one built from the connection (a child process has none yet). */
export async function runLivePass(
  ctx: OpContext,
  kind: string,
  only?: string[],
  connector?: Connector,
): Promise<LivePass> {
  if (!isKind(kind))
    throw new TackError('invalid_input', `no connector "${kind}"; expected one of ${KINDS.join(', ')}`);
  const cs = new ConnectionStore(ctx.store());
  const c = connector ?? (await makeConnector(cs.get(kind).config, resolveCredentials(kind, cs.credentials(kind))));
  const before = c.budget?.().spent ?? 0;
  const result = await syncPass(ctx, kind, { only, connector: c });
  const budget = c.budget?.();
  return { result, budget, cost: (budget?.spent ?? 0) - before };
}

const ANSWER_WITHIN_MS = 4000;

/**
 * Services' delivery ids are remembered this long (in .git/tack/, across restarts): their
 * signatures carry no time (GitHub, Trello), so the id is what makes a replay a no-op.
 */
const SERVICE_DELIVERY_KEEP_MS = 7 * 24 * 3600 * 1000;

/**
 * Live mode while `tack serve` runs: each connection's webhook (/hooks/<kind>) syncs the
 * issues a verified delivery names, and a poller runs a full pass as the fallback for
 * missed deliveries. Both go through syncPass, which serializes per connection, so a
 * webhook and the poller never work on a ticket at the same time. Deliveries that arrive
 * twice are dropped by id; out-of-order ones are harmless, since a sync always reads the
 * issue's current state rather than applying the delivery's payload.
 */
export async function startLiveSync(o: LiveOptions): Promise<LiveSync | null> {
  const cs = new ConnectionStore(o.ctx.store());
  const all = cs.all();
  const kinds = Object.keys(all) as ConnectorKind[];
  if (kinds.length === 0) return null;
  const log = o.log ?? (() => {});
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const later = (fn: () => void, ms: number) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    t.unref();
    timers.add(t);
  };
  // One pass per connection at a time, wherever passes run (a second would find the pass lock taken).
  const queue = new KeyedQueue();
  const running = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>) => {
    running.add(p);
    void p.finally(() => running.delete(p)).catch(() => {});
    return p;
  };
  for (const kind of kinds) {
    let connector: Connector;
    try {
      connector = await makeConnector(all[kind].config, resolveCredentials(kind, cs.credentials(kind)));
    } catch (e) {
      log(`tack serve: ${kind} connection not started: ${(e as Error).message}`);
      continue;
    }
    const pollMs = o.pollMs ?? Number(all[kind].config.options?.pollMs ?? process.env.TACK_SYNC_POLL_MS ?? 60_000);
    const pass = (only?: string[]) =>
      track(queue.run(kind, () => (o.runPass ? o.runPass(kind, only) : runLivePass(o.ctx, kind, only, connector))));
    // When the last verified delivery arrived: while they come, polls are only a safety net.
    let lastWebhookAt: number | undefined;
    // The budget as the last pass left it: a pass in a child process spends its own connector's.
    let lastBudget: RateBudget | undefined;
    o.hooks.register(kind, {
      verify: (raw, headers) => connector.verifyWebhook(raw, headers),
      handle: async (_ctx, raw, headers) => {
        lastWebhookAt = Date.now();
        const ev = connector.parseWebhook(raw, headers);
        if (!ev) return { ignored: true };
        // Answered 2xx (a service would retry or disable the hook otherwise), not run again.
        if (!firstDelivery(o.ctx.store().repo, kind, ev.deliveryId, Date.now(), SERVICE_DELIVERY_KEEP_MS))
          return { duplicate: true, delivery: ev.deliveryId };
        const synced = pass(ev.issueIds).then((p) => {
          lastBudget = p.budget ?? lastBudget;
          return p.result;
        });
        // Services retry deliveries not answered within seconds (Linear: 5 s): answer by
        // then even if the sync goes on (the sync itself is not cut short).
        const late = new Promise<null>((r) => setTimeout(() => r(null), ANSWER_WITHIN_MS).unref());
        const r = await Promise.race([synced.catch((e: Error) => ({ failed: e.message })), late]);
        if (r === null) return { queued: ev.issueIds };
        if ('failed' in r) return { synced: [], errors: [r.failed] };
        return { synced: ev.issueIds, commits: r.commits.length, remoteWrites: r.remoteWrites, errors: r.errors };
      },
    });
    if (pollMs > 0) {
      // Each pass schedules the next (pollSchedule.ts): less often while nothing changes,
      // never faster than the service's budget affords, and only as a safety net while webhooks arrive.
      let idle = 0;
      let lastDelayMs = pollMs;
      const poll = async () => {
        let changed = false;
        let cost = 0;
        try {
          const p = await pass();
          changed = p.result.commits.length > 0 || p.result.remoteWrites > 0;
          cost = p.cost;
          lastBudget = p.budget ?? lastBudget;
        } catch (e) {
          log(`tack serve: ${kind} poll failed: ${(e as Error).message}`);
        }
        idle = changed ? 0 : idle + 1;
        const plan = nextPollDelay({
          baseMs: pollMs,
          idlePasses: idle,
          budget: lastBudget ?? connector.budget?.(),
          passCost: cost,
          now: Date.now(),
          lastWebhookAt,
          lastDelayMs,
        });
        lastDelayMs = plan.delayMs;
        if (plan.reason === 'budget low' || plan.reason === 'budget share')
          log(`tack serve: ${kind} next poll in ${Math.round(plan.delayMs / 1000)} s (${plan.reason})`);
        if (!stopped) later(() => void poll(), plan.delayMs);
      };
      later(() => void poll(), pollMs);
    }
  }
  return {
    connections: kinds,
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await Promise.allSettled([...running]);
    },
  };
}
