import { LinearError, RatelimitedLinearError, type LinearClient } from '@linear/sdk';
import { ConnectorError, RateLimited, Transient, type RateBudget } from '../connector.js';
import { type RateHeaders, RateMeter } from '../rateMeter.js';
import { LINEAR_MAX_COMPLEXITY, linearComplexity } from './linearComplexity.js';
import type { Connection, Paging, TypedDocument } from './linearQueries.js';

/** Linear's budget headers: limit, remaining and reset (epoch ms) of one bucket. */
const bucket = (b: 'complexity' | 'requests'): RateHeaders => ({
  limit: `x-ratelimit-${b}-limit`,
  remaining: `x-ratelimit-${b}-remaining`,
  reset: { header: `x-ratelimit-${b}-reset`, as: 'epoch-ms' },
});

/** Turn the SDK's errors into the contract's: rate limits and server trouble are retried. */
function mapError(e: unknown): never {
  if (e instanceof RatelimitedLinearError) {
    const reset = e.requestsResetAt ?? e.complexityResetAt;
    const wait = e.retryAfter !== undefined ? e.retryAfter * 1000 : reset !== undefined ? reset - Date.now() : 1000;
    throw new RateLimited(Math.max(0, Math.min(wait, 60_000)), e.message);
  }
  if (e instanceof LinearError) {
    if (e.status === undefined || e.status >= 500) throw new Transient(e.message, e.status);
    throw new ConnectorError('linear_error', e.message, { status: e.status, type: e.type });
  }
  if (e instanceof TypeError) throw new Transient(`cannot reach Linear: ${e.message}`);
  throw e;
}

/**
 * The Linear connector's transport: raw GraphQL requests through the SDK's client, each
 * scored and checked against Linear's budgets first, the budget headers of each answer
 * kept, the SDK's errors turned into the contract's, and paged lists read to the end.
 */
export class LinearGraphql {
  private readonly rate = new RateMeter({ complexity: bucket('complexity'), requests: bucket('requests') });

  constructor(private readonly client: LinearClient) {}

  /**
   * One request, scored first by Linear's complexity rules: one over Linear's per-request
   * cap is a bug here, refused before it is sent; one the known budget cannot afford waits
   * for the reset (RateLimited) instead of being refused by Linear.
   */
  async gql<T, V extends Record<string, unknown>>(query: TypedDocument<T, V>, variables: V): Promise<T> {
    const cost = linearComplexity(query, variables);
    if (cost > LINEAR_MAX_COMPLEXITY)
      throw new ConnectorError('query_too_complex', `a Linear query would cost ${cost} complexity points`, { cost });
    const c = this.rate.budget().complexity;
    if (c && c.remaining < cost && c.resetAt > Date.now())
      throw new RateLimited(
        Math.min(c.resetAt - Date.now(), 60_000),
        `Linear complexity budget low: ${c.remaining} of ${c.limit} points left, this request costs ${cost}`,
      );
    try {
      const r = await this.client.client.rawRequest<T, Record<string, unknown>>(query, variables);
      this.noteBudget(r.headers, cost);
      return r.data as T;
    } catch (e) {
      // A refusal carries the budget headers too (a 429 says what is left and when).
      if (e instanceof LinearError) this.noteBudget(e.raw?.response?.headers, 0, false);
      return mapError(e);
    }
  }

  private noteBudget(h: globalThis.Headers | undefined, estimate: number, served = true): void {
    const charged = Number(h?.get('x-complexity') ?? Number.NaN);
    if (served) this.rate.charge(Number.isFinite(charged) ? charged : estimate);
    this.rate.note(h);
  }

  budget(): RateBudget {
    return this.rate.budget();
  }

  /** Every node of a paged list (`pick` finds the connection in the answer). */
  async allPages<T, V extends Record<string, unknown>, N>(
    query: TypedDocument<T, V & Paging>,
    pick: (d: T) => Connection<N>,
    vars: V,
  ): Promise<N[]> {
    const out: N[] = [];
    let after: string | null | undefined;
    for (;;) {
      const page = pick(await this.gql(query, { ...vars, after }));
      out.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) return out;
      after = page.pageInfo.endCursor;
    }
  }
}
