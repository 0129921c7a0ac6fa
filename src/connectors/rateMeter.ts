import type { RateBudget, RateWindow } from './connector.js';

/** The budgets a service can report: Linear's points, requests, and an app key's requests (Trello). */
export type RateBucket = 'complexity' | 'requests' | 'appRequests';

/**
 * Where one budget sits in a service's answer headers. `reset` says when the bucket is
 * full again: an epoch time (GitHub: seconds, Linear: ms), or the length of the window
 * the limit counts over (Trello: `interval-ms`), then measured from the answer: an upper
 * bound, as neither a fixed nor a sliding window holds requests longer than that.
 */
export interface RateHeaders {
  limit: string;
  remaining: string;
  reset: { header: string; as: 'epoch-s' | 'epoch-ms' | 'interval-ms' };
}

/** One bucket read from an answer's headers; undefined when the answer does not carry it. */
export function rateWindowFrom(h: globalThis.Headers, names: RateHeaders, now = Date.now()): RateWindow | undefined {
  const n = (k: string) => {
    const v = h.get(k);
    return v === null || v.trim() === '' ? Number.NaN : Number(v);
  };
  const limit = n(names.limit);
  const remaining = n(names.remaining);
  if (!Number.isFinite(limit) || !Number.isFinite(remaining)) return undefined;
  const reset = n(names.reset.header);
  const w: RateWindow = { limit, remaining, resetAt: Number.NaN };
  if (names.reset.as === 'interval-ms') {
    w.periodMs = Number.isFinite(reset) && reset > 0 ? reset : undefined;
    w.resetAt = now + (w.periodMs ?? 0);
  } else w.resetAt = names.reset.as === 'epoch-s' ? reset * 1000 : reset;
  if (!Number.isFinite(w.resetAt)) w.resetAt = now;
  if (w.periodMs === undefined) delete w.periodMs;
  return w;
}

/**
 * A connection's budgets as the service's answers report them: every transport feeds each
 * answer's headers (refusals too) through `note`, `budget()` is what `tack connections`
 * shows and the poller spaces its passes by, and `waitMs` is how long a request would
 * have to wait for a bucket the service says is empty.
 */
export class RateMeter {
  private rate: RateBudget = { spent: 0 };

  constructor(private readonly buckets: Partial<Record<RateBucket, RateHeaders>>) {}

  /** Reads the buckets an answer carries; true when it carried any. */
  note(h: globalThis.Headers | undefined, now = Date.now()): boolean {
    if (!h) return false;
    let seen = false;
    for (const [bucket, names] of Object.entries(this.buckets) as Array<[RateBucket, RateHeaders]>) {
      const w = rateWindowFrom(h, names, now);
      if (!w) continue;
      this.rate[bucket] = w;
      seen = true;
    }
    if (seen) this.rate.measuredAt = now;
    return seen;
  }

  /** Points charged for a request (Linear's `X-Complexity`, else the connector's estimate). */
  charge(points: number): void {
    this.rate.spent += points;
  }

  budget(): RateBudget {
    return { ...this.rate };
  }

  /** How long until every bucket the last answer said was empty has refilled (0: none is). */
  waitMs(now = Date.now()): number {
    let wait = 0;
    for (const bucket of Object.keys(this.buckets) as RateBucket[]) {
      const w = this.rate[bucket];
      if (w && w.remaining <= 0 && w.resetAt > now) wait = Math.max(wait, w.resetAt - now);
    }
    return wait;
  }
}
