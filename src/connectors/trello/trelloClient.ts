import { sleep } from '../../model/sleep.js';
import { ConnectorError, RateLimited, type RateBudget, Transient, retryAfterMs } from '../connector.js';
import { type RateHeaders, RateMeter } from '../rateMeter.js';

/**
 * A minimal Trello REST client on fetch (Trello publishes no official Node client).
 * Parameters travel in the query string, where Trello's OpenAPI document declares them;
 * key and token authenticate every call. Failures become the contract's errors: 429 →
 * RateLimited, 5xx and network errors → Transient, anything else → ConnectorError.
 *
 * Trello counts requests per token (100 per 10 s) and per app key (300 per 10 s, shared
 * by every token of the app) and says what is left in each answer
 * (`x-rate-limit-api-{token,key}-{max,remaining,interval-ms}`). A pass is often longer than
 * one window, so the client paces itself: when an answer says a bucket is empty, the next
 * request waits for the window to pass instead of being refused.
 */
export type TrelloParams = Record<string, string | number | boolean | string[] | null | undefined>;

const bucket = (who: 'token' | 'key'): RateHeaders => ({
  limit: `x-rate-limit-api-${who}-max`,
  remaining: `x-rate-limit-api-${who}-remaining`,
  reset: { header: `x-rate-limit-api-${who}-interval-ms`, as: 'interval-ms' },
});

/** A 429 without Retry-After nor window headers: Trello's windows are 10 s long. */
const DEFAULT_WINDOW_MS = 10_000;
/** Pacing never waits longer than this at once (a window header someone set to an hour). */
const MAX_PACE_MS = 60_000;

export class TrelloClient {
  private readonly rate = new RateMeter({ requests: bucket('token'), appRequests: bucket('key') });

  constructor(
    private readonly base: string,
    private readonly key: string,
    private readonly token: string,
  ) {}

  budget(): RateBudget {
    return this.rate.budget();
  }

  async request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, params: TrelloParams = {}): Promise<T> {
    const wait = Math.min(this.rate.waitMs(), MAX_PACE_MS);
    if (wait > 0) await sleep(wait);
    const url = new URL(this.base.replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined) continue;
      url.searchParams.set(k, Array.isArray(v) ? v.join(',') : v === null ? '' : String(v));
    }
    url.searchParams.set('key', this.key);
    url.searchParams.set('token', this.token);
    let res: Response;
    try {
      res = await fetch(url, { method, headers: { accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
    } catch (e) {
      throw new Transient(`Trello ${method} ${path} failed: ${(e as Error).message}`);
    }
    const text = await res.text();
    // Refusals carry the headers too: a 429 says which bucket is empty and for how long.
    this.rate.note(res.headers);
    if (res.status === 429)
      throw new RateLimited(
        retryAfterMs(res.headers.get('retry-after'), this.rate.waitMs() || DEFAULT_WINDOW_MS),
        `Trello rate limit on ${method} ${path}${limitName(text)}`,
      );
    if (res.status >= 500) throw new Transient(`Trello answered ${res.status} to ${method} ${path}`, res.status);
    if (!res.ok)
      throw new ConnectorError(
        `http_${res.status}`,
        `Trello answered ${res.status} to ${method} ${path}: ${text.slice(0, 300)}`,
        { status: res.status },
      );
    return (text ? JSON.parse(text) : null) as T;
  }
}

/** Which limit a 429 names (`API_TOKEN_LIMIT_EXCEEDED`, `API_KEY_LIMIT_EXCEEDED`, ...). */
function limitName(body: string): string {
  const m = /"error"\s*:\s*"([A-Z_]{1,60})"/.exec(body);
  return m ? ` (${m[1]})` : '';
}
