import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { buildSchema, execute, parse, validate, type GraphQLSchema } from 'graphql';
import { LinearBudget, MAX_QUERY_COMPLEXITY, scoreRequest } from './linearStandinBudget.js';
import { LinearWorkspace, type Change } from './linearStandinState.js';

/**
 * A local stand-in for Linear's GraphQL API (https://api.linear.app/graphql): every
 * request is parsed and validated against Linear's published schema
 * (test/fixtures/shared/specs/linear-schema.graphql) before it runs, so a connector query
 * Linear would reject fails here too. It can answer with 429s (Linear's rate-limit
 * headers) and 5xx, and sends webhooks signed as Linear signs them.
 */
let cachedSchema: GraphQLSchema | undefined;
export function linearSchema(): GraphQLSchema {
  // 1.2 MB of SDL: built once per process.
  cachedSchema ??= buildSchema(
    readFileSync(resolve(__dirname, '..', 'fixtures', 'shared', 'specs', 'linear-schema.graphql'), 'utf8'),
  );
  return cachedSchema;
}

export interface Delivery {
  body: string;
  headers: Record<string, string>;
}

export interface LinearStandin {
  /** The GraphQL endpoint, for `new LinearClient({ apiUrl })`. */
  url: string;
  ws: LinearWorkspace;
  /** Requests refused because they did not validate against the schema. */
  invalid: Array<{ query: string; errors: string[] }>;
  /** Requests served (after validation), by operation text. */
  requests: string[];
  /** The complexity score of each request served or refused for its cost, in order. */
  costs: Array<{ operation: string; cost: number }>;
  /** The API key's complexity and request buckets (Linear's hourly budgets). */
  budget: LinearBudget;
  /** The next `count` requests fail with `status` (429 carries Linear's rate-limit headers). */
  failNext(count: number, status: 429 | 500 | 502 | 503): void;
  /** Injected failures not served yet. */
  pendingFailures(): number;
  /** Send deliveries for every change to this URL (null: stop); signed with `secret`. */
  webhooks(url: string | null, secret?: string): void;
  /** Every delivery sent (or held, while webhooks are paused), for replays. */
  deliveries: Delivery[];
  /** Wait until every webhook sent so far has been answered. */
  settle(): Promise<void>;
  /** Re-send a delivery, re-signed (same id; fresh or kept timestamp). */
  resend(d: Delivery, freshTimestamp?: boolean): Promise<number>;
  /** Send exactly these bytes and headers to the webhook URL (forgeries, stale replays). */
  sendRaw(d: Delivery): Promise<number>;
  stop(): Promise<void>;
}

/** Linear's webhook signature: hex HMAC-SHA256 of the raw body with the webhook secret. */
export function signLinear(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

function rootValue(ws: LinearWorkspace, record: (m: string, args: unknown) => void) {
  const payload = (issue: ReturnType<LinearWorkspace['issueView']>) => ({
    success: true,
    lastSyncId: Date.now(),
    issue,
  });
  const w =
    <A, R>(name: string, fn: (a: A) => R) =>
    (a: A) => {
      record(name, a);
      return fn(a);
    };
  return {
    viewer: () => ws.userView(ws.viewer),
    teams: (a: any) => ws.connection([ws.teamView()], a),
    team: (a: { id: string }) => {
      if (a.id !== ws.team.id && a.id !== ws.team.key) throw new Error(`Entity not found: Team ${a.id}`);
      return ws.teamView();
    },
    workflowStates: (a: any) =>
      ws.connection(
        ws.states.map((s) => ws.stateView(s)),
        a,
      ),
    users: (a: any) =>
      ws.connection(
        [...ws.users, ws.viewer].map((u) => ws.userView(u)),
        a,
      ),
    issueLabels: (a: any) => ws.connection(ws.labels, a),
    issue: (a: { id: string }) => ws.issueView(ws.issue(a.id)),
    issues: (a: any) =>
      ws.connection(
        ws.filterIssues(a.filter, a.includeArchived ?? false).map((i) => ws.issueView(i)),
        a,
      ),
    issueCreate: w('issueCreate', (a: any) => payload(ws.issueView(ws.createIssue(a.input)))),
    issueUpdate: w('issueUpdate', (a: any) => payload(ws.issueView(ws.updateIssue(a.id, a.input)))),
    issueArchive: w('issueArchive', (a: any) => ({
      success: true,
      lastSyncId: Date.now(),
      entity: ws.issueView(ws.archiveIssue(a.id, a.trash ?? false)),
    })),
    issueUnarchive: w('issueUnarchive', (a: any) => {
      const r = ws.issue(a.id);
      r.archivedAt = null;
      r.trashed = false;
      r.updatedAt = ws.now();
      return { success: true, lastSyncId: Date.now(), entity: ws.issueView(r) };
    }),
    commentCreate: w('commentCreate', (a: any) => ({
      success: true,
      lastSyncId: Date.now(),
      comment: ws.commentView(ws.createComment(a.input)),
    })),
    commentUpdate: w('commentUpdate', (a: any) => ({
      success: true,
      lastSyncId: Date.now(),
      comment: ws.commentView(ws.updateComment(a.id, a.input)),
    })),
    webhooks: (a: any) =>
      ws.connection(
        ws.webhooks.map((h) => ws.webhookView(h)),
        a,
      ),
    webhookCreate: w('webhookCreate', (a: any) => ({
      success: true,
      lastSyncId: Date.now(),
      webhook: ws.webhookView(ws.createWebhook(a.input)),
    })),
    issueLabelCreate: w('issueLabelCreate', (a: any) => ({
      success: true,
      lastSyncId: Date.now(),
      issueLabel: ws.createLabel(a.input),
    })),
    issueRelationDelete: w('issueRelationDelete', (a: any) => {
      ws.deleteRelation(a.id);
      return { success: true, lastSyncId: Date.now(), entityId: a.id };
    }),
    issueRelationCreate: w('issueRelationCreate', (a: any) => ({
      success: true,
      lastSyncId: Date.now(),
      issueRelation: ws.relationView(ws.createRelation(a.input)),
    })),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startLinearStandin(): Promise<LinearStandin> {
  const schema = linearSchema();
  const failures: number[] = [];
  const pending = new Set<Promise<unknown>>();
  let hook: { url: string; secret: string } | null = null;
  const deliveries: Delivery[] = [];

  const post = async (d: Delivery): Promise<number> => {
    if (!hook) return 0;
    const r = await fetch(hook.url, { method: 'POST', headers: d.headers, body: d.body }).catch(() => null);
    await r?.arrayBuffer().catch(() => null);
    return r?.status ?? 0;
  };
  const deliver = (c: Change) => {
    if (!hook) return;
    const body = JSON.stringify({
      action: c.action,
      type: c.type,
      data: c.data,
      url: `https://linear.app/standin/${c.type.toLowerCase()}/${c.data.id}`,
      createdAt: new Date().toISOString(),
      organizationId: 'org-standin',
      webhookTimestamp: Date.now(),
      webhookId: 'hook-standin',
    });
    const d: Delivery = {
      body,
      headers: {
        'content-type': 'application/json',
        'linear-delivery': randomUUID(),
        'linear-event': c.type,
        'linear-signature': signLinear(body, hook.secret),
        'user-agent': 'Linear-Webhook',
      },
    };
    deliveries.push(d);
    const p = post(d);
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  const ws = new LinearWorkspace(deliver);
  const st: Omit<LinearStandin, 'url' | 'stop'> = {
    ws,
    invalid: [],
    requests: [],
    costs: [],
    budget: new LinearBudget(),
    deliveries,
    failNext: (count, status) => {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    pendingFailures: () => failures.length,
    webhooks: (url, secret = 'whsec') => {
      hook = url ? { url, secret } : null;
    },
    settle: async () => {
      while (pending.size) await Promise.all([...pending]);
    },
    sendRaw: (d) => post(d),
    resend: async (d, fresh = true) => {
      if (!hook) return 0;
      let body = d.body;
      if (fresh) body = JSON.stringify({ ...JSON.parse(body), webhookTimestamp: Date.now() });
      return post({ body, headers: { ...d.headers, 'linear-signature': signLinear(body, hook.secret) } });
    },
  };
  const record = (m: string, args: unknown) => ws.writes.push({ mutation: m, args });

  const server: Server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      if (req.method !== 'POST' || !req.url?.startsWith('/graphql'))
        return send(res, 404, { errors: [{ message: 'not found' }] });
      if (!req.headers.authorization)
        return send(res, 400, {
          errors: [
            {
              message: 'Authentication required, not authenticated',
              extensions: { type: 'authentication error', code: 'AUTHENTICATION_ERROR' },
            },
          ],
        });
      const fail = failures.shift();
      if (fail === 429) {
        return send(
          res,
          429,
          {
            errors: [
              {
                message: 'Rate limit exceeded',
                extensions: { type: 'ratelimited', code: 'RATELIMITED', userPresentableMessage: 'Rate limit exceeded' },
              },
            ],
          },
          {
            'x-ratelimit-requests-limit': '1500',
            'x-ratelimit-requests-remaining': '0',
            'x-ratelimit-requests-reset': String(Date.now() + 300),
          },
        );
      }
      if (fail)
        return send(res, fail, {
          errors: [
            { message: 'Internal server error', extensions: { type: 'internal error', code: 'INTERNAL_SERVER_ERROR' } },
          ],
        });
      let body: { query?: string; variables?: Record<string, unknown> };
      try {
        body = JSON.parse(text);
      } catch {
        return send(res, 400, { errors: [{ message: 'body must be JSON' }] });
      }
      let doc: ReturnType<typeof parse>;
      try {
        doc = parse(body.query ?? '');
      } catch (e) {
        st.invalid.push({ query: body.query ?? '', errors: [(e as Error).message] });
        return send(res, 400, {
          errors: [
            { message: (e as Error).message, extensions: { type: 'graphql error', code: 'GRAPHQL_PARSE_FAILED' } },
          ],
        });
      }
      const errors = validate(schema, doc);
      if (errors.length) {
        st.invalid.push({ query: body.query ?? '', errors: errors.map((e) => e.message) });
        return send(res, 400, {
          errors: errors.map((e) => ({
            message: e.message,
            extensions: { type: 'graphql error', code: 'GRAPHQL_VALIDATION_FAILED' },
          })),
        });
      }
      const cost = scoreRequest(schema, doc, body.variables);
      const operation = doc.definitions.map((d) => ('name' in d ? d.name?.value : '')).join(',');
      st.costs.push({ operation, cost });
      if (cost > MAX_QUERY_COMPLEXITY) {
        const message = `Query too complex: complexity ${cost} is over the maximum of ${MAX_QUERY_COMPLEXITY}`;
        st.invalid.push({ query: body.query ?? '', errors: [message] });
        return send(res, 400, {
          errors: [{ message, extensions: { type: 'invalid input', code: 'QUERY_TOO_COMPLEX', userError: true } }],
        });
      }
      if (!st.budget.charge(cost))
        return send(
          res,
          429,
          {
            errors: [
              {
                message: 'Rate limit exceeded',
                extensions: { type: 'ratelimited', code: 'RATELIMITED', userPresentableMessage: 'Rate limit exceeded' },
              },
            ],
          },
          st.budget.headers(cost),
        );
      st.requests.push(body.query ?? '');
      const result = await execute({
        schema,
        document: doc,
        rootValue: rootValue(ws, record),
        variableValues: body.variables,
      });
      send(
        res,
        200,
        result.errors?.length
          ? {
              data: result.data ?? null,
              errors: result.errors.map((e) => ({ message: e.message, path: e.path, extensions: e.extensions })),
            }
          : result,
        st.budget.headers(cost),
      );
    })().catch((e) => send(res, 500, { errors: [{ message: String(e) }] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    ...st,
    url: `http://127.0.0.1:${port}/graphql`,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  } as LinearStandin;
}
