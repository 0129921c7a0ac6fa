import type { RateBudget, RateWindow } from '../connector.js';

/**
 * When live mode's poller runs its next pass. A poll is the fallback for missed webhooks,
 * so it spends as little of the service's budget as it can:
 * - after a pass that changed nothing, the interval doubles, up to IDLE_MAX_FACTOR × the
 *   configured one; any change brings it back;
 * - idle polls take at most POLL_SHARE of a points budget (Linear: complexity points per
 *   hour), at the cost the last one measured, leaving the rest to webhooks and writes (a
 *   pass that brought changes is not overhead: the next one follows at the interval);
 * - when a budget runs low (under LOW_FRACTION of it, or under two passes' cost) it waits
 *   until the bucket has refilled that far, at the rate the bucket refills;
 * - while verified webhooks arrive (one within the interval that just ended) and the poll
 *   found nothing they had not brought, polls are only a safety net: the interval goes to
 *   IDLE_MAX_FACTOR × the configured one at once. When deliveries stop, the next poll finds
 *   none in its interval and the schedule is the idle one again (a poll that finds changes
 *   the webhooks missed brings it back to the configured interval).
 */
export const IDLE_MAX_FACTOR = 8;
export const POLL_SHARE = 0.5;
export const LOW_FRACTION = 0.1;
const HOUR = 3_600_000;

export interface PollInput {
  /** The configured interval (`--poll`). */
  baseMs: number;
  /** Passes in a row that changed nothing, this one included (0: this one changed something). */
  idlePasses: number;
  budget?: RateBudget;
  /** Points the last pass cost (the budget's `spent` before and after). */
  passCost: number;
  now: number;
  /** When the last verified webhook of this connection arrived (ms since the epoch); undefined: none yet. */
  lastWebhookAt?: number;
  /** The interval that ended with this pass (the previous plan's delay); default `baseMs`. */
  lastDelayMs?: number;
}

export interface PollPlan {
  delayMs: number;
  /** Why the delay is longer than the configured interval (for the server log). */
  reason?: 'idle' | 'webhooks' | 'budget share' | 'budget low';
}

export function nextPollDelay(o: PollInput): PollPlan {
  let plan: PollPlan = { delayMs: o.baseMs };
  const longer = (delayMs: number, reason: PollPlan['reason']) => {
    if (delayMs > plan.delayMs) plan = { delayMs: Math.ceil(delayMs), reason };
  };
  if (o.idlePasses > 0) longer(o.baseMs * Math.min(IDLE_MAX_FACTOR, 2 ** o.idlePasses), 'idle');
  const hooked = o.lastWebhookAt !== undefined && o.now - o.lastWebhookAt <= (o.lastDelayMs ?? o.baseMs);
  if (hooked && o.idlePasses > 0) longer(o.baseMs * IDLE_MAX_FACTOR, 'webhooks');
  const c = o.budget?.complexity;
  if (c && c.limit > 0 && o.passCost > 0 && o.idlePasses > 0)
    longer((o.passCost * HOUR) / (c.limit * POLL_SHARE), 'budget share');
  for (const [w, reserve] of [
    [c, 2 * o.passCost],
    [o.budget?.requests, 2],
    [o.budget?.appRequests, 2],
  ] as Array<[RateWindow | undefined, number]>) {
    if (!w || w.limit <= 0) continue;
    const floor = Math.max(w.limit * LOW_FRACTION, reserve);
    // Buckets refill over an hour (Linear, GitHub) or over their own window (Trello: 10 s).
    if (w.remaining < floor) longer(((floor - w.remaining) * (w.periodMs ?? HOUR)) / w.limit, 'budget low');
  }
  return plan;
}
