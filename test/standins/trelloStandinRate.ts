import type { ServerResponse } from 'node:http';

/**
 * Trello's request limits as the stand-in enforces them: a window per token (100 requests
 * per 10 s on Trello) and one per app key (300 per 10 s, shared by every token of the
 * app). Every answer carries `x-rate-limit-api-{token,key}-{interval-ms,max,remaining}`;
 * a request over either budget is refused with 429 and Trello's body
 * (`API_TOKEN_LIMIT_EXCEEDED` / `API_KEY_LIMIT_EXCEEDED`), without Retry-After, as Trello
 * answers (`retryAfter: true` adds one). The defaults are far above Trello's so that
 * suites not about budgets are never slowed; tests about budgets set Trello's or tighter.
 */
export interface TrelloRateOptions {
  token?: { max: number; intervalMs: number };
  key?: { max: number; intervalMs: number };
  /** Send `Retry-After` (seconds until the window ends) with a 429. */
  retryAfter?: boolean;
}

class Window {
  used = 0;
  start = 0;
  /** The most requests served in one window so far. */
  peak = 0;

  constructor(
    readonly max: number,
    readonly intervalMs: number,
  ) {}

  roll(now: number): void {
    if (now - this.start >= this.intervalMs) {
      this.start = now;
      this.used = 0;
    }
  }

  get remaining(): number {
    return Math.max(0, this.max - this.used);
  }
}

export class TrelloRate {
  readonly token: Window;
  readonly key: Window;
  /** Requests refused for being over a budget. */
  refused = 0;
  /** Requests counted so far (served or refused). */
  requests = 0;
  /** Called with the request's number before it is counted (another client acting mid-pass). */
  onRequest?: (n: number) => void;

  constructor(private readonly opts: TrelloRateOptions = {}) {
    this.token = new Window(opts.token?.max ?? 10_000, opts.token?.intervalMs ?? 10_000);
    this.key = new Window(opts.key?.max ?? 30_000, opts.key?.intervalMs ?? 10_000);
  }

  /**
   * Someone else spends `n` of a window: another token of the same app (`key`: Trello
   * counts them all), or another process with the same token (`token`).
   */
  spend(who: 'token' | 'key', n: number, now = Date.now()): void {
    this[who].roll(now);
    this[who].used += n;
  }

  /** Counts one request; answers 429 (and returns true) when it is over a budget. */
  refuse(res: ServerResponse, now = Date.now()): boolean {
    this.requests++;
    this.onRequest?.(this.requests);
    this.token.roll(now);
    this.key.roll(now);
    const over = this.token.used >= this.token.max ? 'TOKEN' : this.key.used >= this.key.max ? 'KEY' : null;
    if (!over) {
      this.token.used++;
      this.key.used++;
      this.token.peak = Math.max(this.token.peak, this.token.used);
      this.key.peak = Math.max(this.key.peak, this.key.used);
    }
    for (const [who, w] of [
      ['token', this.token],
      ['key', this.key],
    ] as const) {
      res.setHeader(`x-rate-limit-api-${who}-interval-ms`, String(w.intervalMs));
      res.setHeader(`x-rate-limit-api-${who}-max`, String(w.max));
      res.setHeader(`x-rate-limit-api-${who}-remaining`, String(w.remaining));
    }
    if (!over) return false;
    this.refused++;
    const w = over === 'TOKEN' ? this.token : this.key;
    if (this.opts.retryAfter) res.setHeader('retry-after', String(Math.ceil((w.start + w.intervalMs - now) / 1000)));
    res.statusCode = 429;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ error: `API_${over}_LIMIT_EXCEEDED`, message: 'Rate limit exceeded' }));
    return true;
  }
}
