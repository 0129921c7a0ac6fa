import { ConnectorError, RateLimited, Transient, retryAfterMs } from '../connector.js';

/**
 * A minimal Trello REST client on fetch (Trello publishes no official Node client).
 * Parameters travel in the query string, where Trello's OpenAPI document declares them;
 * key and token authenticate every call. Failures become the contract's errors: 429 →
 * RateLimited, 5xx and network errors → Transient, anything else → ConnectorError.
 */
export type TrelloParams = Record<string, string | number | boolean | string[] | null | undefined>;

export class TrelloClient {
  constructor(
    private readonly base: string,
    private readonly key: string,
    private readonly token: string,
  ) {}

  async request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, params: TrelloParams = {}): Promise<T> {
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
    if (res.status === 429)
      throw new RateLimited(
        retryAfterMs(res.headers.get('retry-after'), 1000),
        `Trello rate limit on ${method} ${path}`,
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
