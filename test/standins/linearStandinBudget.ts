import {
  getNamedType,
  getNullableType,
  isLeafType,
  isListType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/**
 * Linear's rate limiting as the stand-in applies it (developers docs, "Rate limiting"):
 * each request is scored (property 0.1, object 1, the objects of a connection's list times
 * its `first`/`last`, 50 by default; rounded up), refused over 10,000 points, and charged
 * to two leaky buckets per API key: complexity points and requests per hour. Every answer
 * carries the headers Linear sends: `X-Complexity` and `X-RateLimit-{Complexity,Requests}-
 * {Limit,Remaining,Reset}`.
 *
 * Scored from the schema's types (a list field multiplies by the page size of the
 * connection around it), independently of the connector's own estimate, so the two check
 * each other.
 */
export const MAX_QUERY_COMPLEXITY = 10_000;
const HOUR = 3_600_000;

export function scoreRequest(schema: GraphQLSchema, doc: DocumentNode, vars: Record<string, unknown> = {}): number {
  const frags = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) frags.set(d.name.value, d);
  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType, page: number): number => {
    let cost = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const t = sel.typeCondition ? (schema.getType(sel.typeCondition.name.value) as GraphQLCompositeType) : parent;
        cost += walk(sel.selectionSet, t, page);
        continue;
      }
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const f = frags.get(sel.name.value)!;
        cost += walk(f.selectionSet, schema.getType(f.typeCondition.name.value) as GraphQLCompositeType, page);
        continue;
      }
      if (sel.name.value.startsWith('__') || !('getFields' in parent)) continue;
      const def = parent.getFields()[sel.name.value];
      const type = getNamedType(def.type);
      if (isLeafType(type)) {
        cost += 0.1;
        continue;
      }
      const arg = sel.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last')?.value;
      const given =
        arg?.kind === Kind.INT ? Number(arg.value) : arg?.kind === Kind.VARIABLE ? vars[arg.name.value] : null;
      const inner = type.name.endsWith('Connection') ? (typeof given === 'number' ? given : 50) : 1;
      const each = 1 + walk(sel.selectionSet!, type as GraphQLCompositeType, inner);
      cost += isListType(getNullableType(def.type)) ? page * each : each;
    }
    return cost;
  };
  let total = 0;
  for (const d of doc.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    const root = d.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
    total += walk(d.selectionSet, root!, 1);
  }
  return Math.max(1, Math.ceil(total - 1e-9));
}

interface Bucket {
  limit: number;
  level: number;
  at: number;
}

/** The two per-key buckets, refilled continuously at limit per hour. */
export class LinearBudget {
  readonly complexity: Bucket;
  readonly requests: Bucket;

  constructor(complexityPerHour = 250_000, requestsPerHour = 5_000) {
    this.complexity = { limit: complexityPerHour, level: complexityPerHour, at: Date.now() };
    this.requests = { limit: requestsPerHour, level: requestsPerHour, at: Date.now() };
  }

  private refill(b: Bucket): void {
    const now = Date.now();
    b.level = Math.min(b.limit, b.level + ((now - b.at) * b.limit) / HOUR);
    b.at = now;
  }

  /** Other hourly limits (Linear raises them on request), buckets full. */
  setLimits(complexityPerHour: number, requestsPerHour: number): void {
    Object.assign(this.complexity, { limit: complexityPerHour, level: complexityPerHour, at: Date.now() });
    Object.assign(this.requests, { limit: requestsPerHour, level: requestsPerHour, at: Date.now() });
  }

  /** Set what is left (tests: a budget nearly spent). */
  set(bucket: 'complexity' | 'requests', remaining: number): void {
    const b = this[bucket];
    b.level = remaining;
    b.at = Date.now();
  }

  /** Charge one request of `cost` points; false (nothing charged) when a bucket cannot pay. */
  charge(cost: number): boolean {
    this.refill(this.complexity);
    this.refill(this.requests);
    if (this.complexity.level < cost || this.requests.level < 1) return false;
    this.complexity.level -= cost;
    this.requests.level -= 1;
    return true;
  }

  headers(cost: number): Record<string, string> {
    const out: Record<string, string> = { 'x-complexity': String(cost) };
    for (const name of ['complexity', 'requests'] as const) {
      const b = this[name];
      out[`x-ratelimit-${name}-limit`] = String(b.limit);
      out[`x-ratelimit-${name}-remaining`] = String(Math.floor(b.level));
      out[`x-ratelimit-${name}-reset`] = String(Math.ceil(Date.now() + ((b.limit - b.level) * HOUR) / b.limit));
    }
    return out;
  }
}
