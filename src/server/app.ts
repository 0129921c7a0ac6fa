import { monotonicMs } from '../model/monotonic.js';
import type { ServerResponse } from 'node:http';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { streamSSE } from 'hono/streaming';
import { TackError } from '../model/errors.js';
import { resolveId } from '../index/ticketIds.js';
import { ticketVersions } from '../index/eventQueries.js';
import { isPrepared, withVersions, type PreparedAnswer } from './preparedAnswer.js';
import { StreamedReply } from './streamedReply.js';
import { indexGeneration } from '../index/indexDb.js';
import { reloadWorkspace } from '../store/store.js';
import { REGISTRY } from '../ops/registry.js';
import { pageInfo } from '../ops/page.js';
import { pageHeaders } from './pageHeaders.js';
import type { OpContext, OpDef } from '../ops/op.js';
import type { ChangeFeed } from './changeFeed.js';
import type { EventLog, TackEvent } from './events.js';
import { errorBody, httpError } from './httpErrors.js';
import { gzipAnswers, sendCached } from './gzipAnswers.js';
import { requestBodyLimit } from './requestBodyLimit.js';
import type { HookRegistry } from './hooks.js';
import { inputFromQuery } from './inputCoercion.js';
import { openApiDocument } from './openapi.js';
import { ReadCache } from './readCache.js';
import { commits, placementOf, runPlaced } from './placedRun.js';
import { buildRoutes, type Route } from './routes.js';
import { securityMiddleware, type SecurityOptions } from './security.js';
import { TurnFlag } from './turnFlag.js';
import { webDir, webHandler } from './webStatic.js';

export const BODY_LIMIT = 1024 * 1024;

export interface AppDeps {
  ctx: OpContext;
  log: EventLog;
  feed: ChangeFeed;
  hooks: HookRegistry;
  security: SecurityOptions;
  keepAliveMs?: number;
  /** The plan branch served (the global --branch), for operations run in a child process. */
  branch?: string;
  /** Every API request's deadline (`--request-timeout`); past it the answer is a `timeout` error. */
  requestTimeoutMs?: number;
}

/**
 * `agents.auto_sync`: a REST write is published before its answer, as on the CLI and MCP
 * (the sync runs in a child, bounded by agents.sync_timeout; this event loop only waits).
 */
async function autoSyncAnswer(ctx: OpContext, op: OpDef, result: unknown): Promise<void> {
  if (!result || typeof result !== 'object' || Array.isArray(result)) return;
  const { autoSync } = await import('../ops/autoSync.js');
  const report = await autoSync(ctx, op, result);
  if (report) (result as Record<string, unknown>).auto_sync = report;
}
/** The request-timeout default: long enough for a sync with a remote, short enough to notice a stall. */
export const REQUEST_TIMEOUT_MS = 10_000;
/** Operations that talk to the remote (in a child process) get this many request deadlines. */
export const REMOTE_DEADLINE_FACTOR = 6;

/** If-Match / ETag values are the ticket's blob id, quoted or not, weak or not. */
function parseEtag(v: string | undefined): string | undefined {
  return v?.replace(/^W\//, '').replace(/^"|"$/g, '') || undefined;
}

/** A GET never fetches, pushes or writes: those inputs need POST (see OpDef.postOnly). */
function refuseSideEffect(op: OpDef, route: Route, input: Record<string, unknown>): void {
  const key = op.postOnly?.find((k) => input[k] !== undefined && input[k] !== false && input[k] !== 'false');
  if (!key) return;
  throw new TackError(
    'invalid_input',
    `GET ${route.path} with ${key}=${String(input[key])} refused: it would reach the remote, and a GET has no side effects; expected POST /api/${op.name} with a JSON body such as {"${key}": true}`,
    { received: { method: 'GET', [key]: input[key] }, expected: { method: 'POST' } },
  );
}

async function readBody(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (!text.trim()) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new TackError(
      'invalid_input',
      `the request body is not JSON: ${(e as Error).message}; expected a JSON object`,
    );
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new TackError('invalid_input', "the request body must be a JSON object of the operation's input");
  return v as Record<string, unknown>;
}

/** The REST API, the event stream and the webhooks, all adapted from the operations registry. */
export async function createApp(deps: AppDeps): Promise<Hono> {
  const { ctx, log, feed } = deps;
  const cache = new ReadCache();
  // What a remote client may call and pass is declared on each op (OpDef.localOnly, localKeys).
  const ops = new Map<string, OpDef>();
  for (const e of REGISTRY) {
    const op = (await e.load()).default as OpDef;
    if (!op.localOnly) ops.set(e.name, op);
  }
  const routes = buildRoutes([...ops.values()]);
  const openapi = openApiDocument(routes, ops);

  const app = new Hono();
  app.onError((e, c) => {
    const { status, body } = errorBody(e);
    // A request stopped at its deadline, or cut by the server's stop, is expected: one line,
    // never a stack trace.
    if (status === 504 || status === 503)
      console.error(`tack serve: ${c.req.method} ${c.req.path}: ${body.error.message}`);
    else if (status >= 500) console.error(`tack serve: ${c.req.method} ${c.req.path}:`, e);
    return c.json(body, status as 500);
  });
  app.notFound((c) =>
    c.json(httpError('not_found', `no route ${c.req.method} ${c.req.path}; see /api/openapi.json`).body, 404),
  );
  app.use('*', securityMiddleware(deps.security));
  app.use('*', gzipAnswers());
  const signals = new WeakMap<Request, AbortSignal>();
  const longer = new WeakMap<Request, number>();
  const requestMs = deps.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  app.use('/api/*', deadline(requestMs, signals, longer));
  app.use(
    '*',
    requestBodyLimit(BODY_LIMIT, (c) =>
      c.json(httpError('payload_too_large', `request body over ${BODY_LIMIT} bytes`).body, 413),
    ),
  );

  const settingsRead = new TurnFlag();
  const dispatch = async (c: Context, route: Route) => {
    const op = ops.get(route.op)!;
    const rest = route.from === 'query' ? inputFromQuery(op, c.req.queries()) : await readBody(c);
    for (const k of op.localKeys ?? []) delete rest[k];
    const input = route.input ? route.input(c.req.param() as Record<string, string>, rest) : rest;
    if (route.method === 'get') refuseSideEffect(op, route, input);
    // `tack workspace add/remove` need no restart: the settings are read again each turn.
    if (!settingsRead.isSet) {
      reloadWorkspace(ctx.store());
      settingsRead.set();
    }
    // A workspace read also spans other stores' indexes, whose changes this generation does not see.
    const cacheKey =
      op.cacheable && route.method === 'get' && !ctx.store().workspace
        ? `${op.name}\u0000${JSON.stringify(input)}`
        : null;
    const generation = cacheKey ? indexGeneration((await ctx.index()).db) : '';
    const hit = cacheKey ? cache.get(generation, cacheKey) : undefined;
    if (hit) return sendCached(c, hit);
    // A blocking read (`wait`) answers before the request deadline, with time to spare.
    const maxWaitMs = waitBound(deps.requestTimeoutMs ?? REQUEST_TIMEOUT_MS);
    let opCtx: OpContext = { ...ctx, signal: signals.get(c.req.raw), maxWaitMs };
    const ifMatch = route.ifMatch ? parseEtag(c.req.header('if-match')) : undefined;
    if (ifMatch) {
      const idx = await ctx.index();
      const id = resolveId(idx.db, String(c.req.param('id')));
      const current = ticketVersions(idx.db, [id]).get(id) ?? null;
      if (current !== ifMatch)
        throw new TackError('conflict', `${id} changed since version ${ifMatch.slice(0, 10)} was read`, {
          id,
          current_version: current,
        });
      opCtx = { ...opCtx, ifVersion: { ticket: id, version: ifMatch } };
    }
    // A slow remote holds only a child process, never this event loop: so do inputs
    // that reach the remote (`wait --sync`), which git's synchronous runs would block.
    // A local write's git work and lock waits hold the write lane, not this loop; it commits
    // as any other process does (lock, compare-and-swap), in arrival order. A read that runs
    // git or reads the whole store runs in the read lane; the others answer from the index, here.
    const placement = placementOf(op, input);
    // It holds only its child: a sync's several fetches over a slow network may take longer.
    if (placement === 'child') longer.set(c.req.raw, requestMs * REMOTE_DEADLINE_FACTOR);
    const result = await runPlaced(opCtx, op, input, { branch: deps.branch, maxWaitMs, prepare: true });
    if (isPrepared(result)) return sendPrepared(c, route, result, cacheKey, generation);
    if (result instanceof StreamedReply) return sendStreamed(c, result);
    // Events first, then the answer: a client that waits for its own change's event gets it.
    if (commits(op, input)) {
      await feed.check();
      await autoSyncAnswer(ctx, op, result);
    }
    const db = (await ctx.index()).db;
    withVersions(db, result);
    const version =
      route.etag && result && typeof result === 'object' ? (result as { version?: string }).version : undefined;
    if (version) c.header('ETag', `"${version}"`);
    // A page of a long answer: the body stays the array, its size and next page are headers.
    const headers = route.method === 'get' ? pageHeaders(pageInfo(result), c.req.url) : {};
    for (const [k, v] of Object.entries(headers)) c.header(k, v);
    if (!cacheKey) return c.json(result as object);
    const answer = { json: JSON.stringify(result), etag: version, headers };
    cache.set(generation, cacheKey, answer);
    return sendCached(c, answer);
  };
  /**
   * An answer that comes a part at a time, sent as it comes. One that fails part way is said
   * in one line, and its connection is cut (the status went out with the first part).
   */
  const sendStreamed = (c: Context, reply: StreamedReply) => {
    const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
    const cut = (e: unknown) => {
      console.error(
        `tack serve: ${c.req.method} ${c.req.path}: ${e instanceof Error ? e.message : String(e)}; the answer was cut short`,
      );
      outgoing?.destroy();
      return !!outgoing;
    };
    return c.body(reply.toStream(cut), 200, {
      'content-type': 'application/json',
      ...pageHeaders(reply.page, c.req.url),
    });
  };
  /** A read lane's answer, made ready there: sent (and kept) as it came. */
  const sendPrepared = (c: Context, route: Route, p: PreparedAnswer, cacheKey: string | null, generation: string) => {
    const headers = route.method === 'get' ? pageHeaders(p.page ?? undefined, c.req.url) : {};
    const answer = { json: p.json, etag: route.etag ? (p.version ?? undefined) : undefined, headers };
    if (cacheKey) cache.set(generation, cacheKey, answer);
    return sendCached(c, answer);
  };
  for (const r of routes) app.on(r.method.toUpperCase(), r.path, (c) => dispatch(c, r));

  app.get('/api/openapi.json', (c) => c.json(openapi));
  app.get('/api/events', (c) => eventStream(c, log, deps.keepAliveMs ?? 15_000));

  app.on('HEAD', '/hooks/:name', (c) => c.body(null, deps.hooks.get(c.req.param('name')) ? 200 : 404));
  app.post('/hooks/:name', async (c) => {
    const hook = deps.hooks.get(c.req.param('name'));
    if (!hook)
      return c.json(
        httpError(
          'not_found',
          `no webhook "${c.req.param('name')}"; registered: ${deps.hooks.names().join(', ') || 'none'}`,
        ).body,
        404,
      );
    const raw = Buffer.from(await c.req.arrayBuffer());
    const headers = Object.fromEntries([...c.req.raw.headers].map(([k, v]) => [k.toLowerCase(), v]));
    const verdict = await hook.verify(raw, headers);
    if (verdict !== true)
      return c.json(
        httpError('unauthorized', typeof verdict === 'string' ? verdict : 'webhook signature missing or wrong').body,
        401,
      );
    const result = await hook.handle(ctx, raw, headers);
    await feed.check();
    return c.json((result ?? { ok: true }) as object);
  });
  // The web UI (dist/web) at `/`, after every API route so it never answers for one.
  const web = webDir();
  const serveWeb = web ? webHandler(web) : null;
  if (serveWeb)
    app.on(['GET', 'HEAD'], '*', (c, next) => (/^\/(api|hooks)(\/|$)/.test(c.req.path) ? next() : serveWeb(c)));
  return app;
}

/** How long `wait` may block under a request deadline of `ms`: a second less, and at least a second. */
function waitBound(ms: number): number {
  return Math.max(1000, ms - 1000);
}

function duration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/**
 * Every API request but the event stream answers within `ms`: past it, the client gets a
 * `timeout` error (504) and the request's signal aborts, which stops work that can be
 * stopped (a query's child process); the server goes on serving everyone else.
 */
function deadline(
  ms: number,
  signals: WeakMap<Request, AbortSignal>,
  longer: WeakMap<Request, number>,
): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.path === '/api/events') return next();
    const ac = new AbortController();
    signals.set(c.req.raw, ac.signal);
    const work = next().then(() => 'done' as const);
    work.catch(() => {});
    const started = monotonicMs();
    let limit = ms;
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), Math.max(0, limit - (monotonicMs() - started)));
      });
      try {
        if ((await Promise.race([work, late])) === 'done') return;
      } finally {
        clearTimeout(timer);
      }
      // A request that said it may take longer (an operation on the remote) gets its time.
      const extended = longer.get(c.req.raw);
      if (!extended || extended <= limit) break;
      limit = extended;
    }
    const e = new TackError(
      'timeout',
      `the request took longer than ${duration(limit)} and was abandoned; the server's limit is --request-timeout (git config tack.serve.requestTimeout; operations on the remote get ${REMOTE_DEADLINE_FACTOR} times it)`,
      { timeout_ms: limit },
    );
    // Stop the work only once this answer has left the middleware chain: the abandoned
    // request's own error would otherwise replace the response under the compressor (a
    // 504 that claimed to be gzip and was not).
    setImmediate(() => ac.abort(e));
    console.error(`tack serve: ${c.req.method} ${c.req.path}: ${e.message}`);
    return c.json(errorBody(e).body, 504);
  };
}

/** SSE: replay after Last-Event-ID (or a `reset` when that is no longer possible), then live events. */
function eventStream(c: Context, log: EventLog, keepAliveMs: number): Response {
  return streamSSE(c, async (stream) => {
    const queue: TackEvent[] = [];
    let wake: (() => void) | null = null;
    const unsubscribe = log.subscribe((e) => {
      queue.push(e);
      wake?.();
    });
    stream.onAbort(() => {
      unsubscribe();
      wake?.();
    });
    const last = c.req.header('last-event-id') ?? c.req.query('last_event_id');
    if (last !== undefined) {
      const replay = log.since(Number(last));
      if (replay) queue.unshift(...replay);
      else
        await stream.writeSSE({
          id: String(log.lastId()),
          event: 'reset',
          data: JSON.stringify({ type: 'reset', message: 'events since that id are gone; re-read the state' }),
        });
    }
    await stream.writeSSE({ event: 'ready', data: JSON.stringify({ last_id: log.lastId() }) });
    while (!stream.aborted) {
      while (queue.length) {
        const e = queue.shift()!;
        await stream.writeSSE({ id: String(e.id), event: e.type, data: JSON.stringify(e) });
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, keepAliveMs);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = null;
      if (!queue.length && !stream.aborted) await stream.write(': keep-alive\n\n');
    }
    unsubscribe();
  });
}
