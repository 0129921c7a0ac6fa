import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve as listen, type ServerType } from '@hono/node-server';
import { TackError } from '../model/errors.js';
import { parseCommandArgs } from '../model/commandArgs.js';
import { createContext } from '../ops/context.js';
import type { OpContext } from '../ops/op.js';
import { nodeEffects } from '../effects/nodeEffects.js';
import { createApp, REQUEST_TIMEOUT_MS } from './app.js';
import { stopQueries } from '../index/boundedQuery.js';
import { openRemoteOps, runOpInChild, runWriteInWorker } from './remoteOps.js';
import { pendingAnswers } from './pendingAnswers.js';
import { laneContext, stopPlacedRuns } from './placedRun.js';
import { handEditsInWorker } from './committer.js';
import { closeWithin, STOP_GRACE_MS, stopSignal } from './stopSignal.js';
import { readConfig } from '../git/config.js';
import { millisSetting } from '../model/duration.js';
import { ChangeFeed } from './changeFeed.js';
import { IdleCommitter } from './committer.js';
import { EventLog } from './events.js';
import { HookRegistry } from './hooks.js';
import { isLoopback } from './security.js';
import { liveHandlers, watchStore, type StoreWatcher } from './watcher.js';
import { idleMs } from './idle.js';
import { inProcessDeliverer } from '../ops/triggerKick.js';
import { inboundSecret, tackInboundHook } from './tackHook.js';

// `tack watch` enters through this module too (the one cli → server import allowed).
export { watchCommand } from './watch.js';

export const SERVE_HELP = `tack serve [options]

Serve the REST API (/api, OpenAPI at /api/openapi.json), live events (/api/events, SSE)
and webhooks (/hooks/<name>) from one port; watch the store's ref and checked-out files.

Options:
  --port <number>      port (default 7373; 0 picks a free one)
  --host <address>     address to bind (default 127.0.0.1; anything else requires a token)
  --token <secret>     bearer token clients must send (generated and printed when needed)
  --idle <duration>    commit hand edits of checked-out files after this quiet time (default: git config tack.commit.idle, else 3s)
  --open               open the browser at the server's address
  --request-timeout <duration>  answer a request still running after this long with a timeout error (default: git config tack.serve.requestTimeout, else 10s)

Global: --json (print the address as JSON), -C <dir> (run in another directory), --branch <name> (serve a plan branch), --help`;

export interface RunningServer {
  url: string;
  token: string | null;
  log: EventLog;
  hooks: HookRegistry;
  committer: IdleCommitter;
  close(): Promise<void>;
}

export interface ServerOptions {
  cwd: string;
  /** A plan branch to serve instead of the store itself (the global --branch). */
  branch?: string;
  port?: number;
  host?: string;
  token?: string | null;
  idleMs?: number;
  hooks?: HookRegistry;
  /** Every API request's deadline in ms (default 10 s). */
  requestTimeoutMs?: number;
}

function idleFrom(cwd: string, flag: string | undefined): number {
  return idleMs(createContext({ effects: nodeEffects(), cwd }).store(), flag);
}

function requestTimeoutFrom(cwd: string, flag: string | undefined): number {
  if (flag !== undefined) return millisSetting(flag, '--request-timeout');
  const configured = readConfig(
    createContext({ effects: nodeEffects(), cwd }).store().repo,
    'tack.serve',
    'requestTimeout',
  );
  return configured === null ? REQUEST_TIMEOUT_MS : millisSetting(configured, 'tack.serve.requestTimeout');
}

/** Start the server on a store; resolves once it listens. */
export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const host = o.host ?? '127.0.0.1';
  const token = o.token ?? (isLoopback(host) ? null : randomBytes(24).toString('base64url'));
  openRemoteOps();
  // Index refreshes run in the refresh lane: git and parsing never on this loop.
  const ctx = laneContext(createContext({ effects: nodeEffects(), cwd: o.cwd, branch: o.branch }), o.branch);
  const store = ctx.store(); // fails early with no_store
  const log = new EventLog();
  const feed = new ChangeFeed(ctx, log);
  await feed.start();
  // Hand edits are committed by the write lane, in turn with the API's writes.
  const committer = new IdleCommitter(ctx, feed, log, o.idleMs ?? 3000, handEditsInWorker(o.cwd, o.branch));
  const hooks = o.hooks ?? new HookRegistry();
  // Tack's own inbound webhook, when a secret is configured (docs/triggers.md).
  const secret = inboundSecret(store);
  // Its writes go through the write worker as the API's do: git and lock waits off this loop, in order.
  if (secret && !hooks.get('tack'))
    hooks.register(
      'tack',
      tackInboundHook(secret, Date.now, (c, name, input) =>
        runWriteInWorker({ cwd: c.cwd, branch: o.branch, name, input }),
      ),
    );
  // Commits this server makes are spooled for triggers; it delivers them itself.
  const deliver = inProcessDeliverer(ctx, (e) => console.error('tack serve: trigger delivery failed:', e));
  let port = o.port ?? 7373;
  const app = await createApp({
    ctx,
    log,
    feed,
    hooks,
    security: { host, port: () => port, token },
    requestTimeoutMs: o.requestTimeoutMs,
    branch: o.branch,
  });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = listen({ fetch: app.fetch, port, hostname: host }, () => resolve(s));
    s.once('error', (e) => reject(new TackError('invalid_input', `cannot listen on ${host}:${port}: ${e.message}`)));
  });
  port = (server.address() as AddressInfo).port;
  const writesAnswered = pendingAnswers(server as Server);
  let watcher: StoreWatcher | null = await watchStore(store, {
    dirs: store.filesDir ? [store.filesDir] : [],
    ...liveHandlers(feed, committer, deliver),
  });
  // Live sync with connected trackers (webhooks at /hooks/<service> plus a poller). The
  // connectors bundle is loaded only when this clone has connections (`tack connect`).
  const live = existsSync(join(store.repo.commonDir, 'tack', 'connections.json'))
    ? await startConnectorsLive(ctx, hooks, o.cwd, o.branch)
    : null;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    token,
    log,
    hooks,
    committer,
    async close() {
      // Work in children is abandoned first: a query or a remote never delays the stop. The
      // feed stops before them: a scan waiting on the refresh lane ends quietly. No new
      // connection is taken; on open ones, what needs a lane or a child is refused
      // (`unavailable`), and reads from the index are answered.
      feed.stop();
      stopQueries();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // The writes begun are finished and answered before their connections close (a write
      // that lands unanswered is sent again by a careful client, and made twice).
      await stopPlacedRuns(writesAnswered);
      await live?.stop();
      await watcher?.close();
      watcher = null;
      await committer.stop();
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await closed;
      ctx.close();
    },
  };
}

/** `tack serve`: runs until SIGINT/SIGTERM. Returns the exit code; only the CLI entry exits. */
export async function serveCommand(
  argv: string[],
  g: { cwd: string; json: boolean; help: boolean; branch?: string },
  print: (s: string) => void,
): Promise<number> {
  if (g.help) {
    print(`${SERVE_HELP}\n`);
    return 0;
  }
  const { values } = parseCommandArgs(
    {
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        token: { type: 'string' },
        idle: { type: 'string' },
        open: { type: 'boolean' },
        'request-timeout': { type: 'string' },
      },
    },
    'serve',
  );
  const port = values.port === undefined ? 7373 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new TackError('invalid_input', `--port expects a number 0-65535; received ${JSON.stringify(values.port)}`);
  // Listening before anything is printed: a stop that comes right after "listening" must
  // not find the default handler, which kills the process uncleanly.
  const stopped = stopSignal();
  const running = await startServer({
    cwd: g.cwd,
    branch: g.branch,
    port,
    host: values.host,
    token: values.token,
    idleMs: idleFrom(g.cwd, values.idle),
    requestTimeoutMs: requestTimeoutFrom(g.cwd, values['request-timeout']),
  });
  const generated = values.token === undefined && running.token !== null;
  if (g.json) print(`${JSON.stringify({ url: running.url, token: generated ? running.token : undefined })}\n`);
  else {
    const tokenLine = generated
      ? `tack serve: bearer token: ${running.token} (clients send "Authorization: Bearer <token>")\n`
      : '';
    print(`${tokenLine}tack serve: listening on ${running.url}\n`);
  }
  if (values.open) {
    const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
    spawn(cmd, [running.url], { stdio: 'ignore', detached: true })
      .on('error', () => {})
      .unref();
  }
  await stopped;
  await closeWithin(running.close(), STOP_GRACE_MS);
  return 0;
}

/**
 * Live sync with the connected trackers: each pass (a webhook's issues, or a poll) runs in
 * a child process of its own, so its git work and commits never hold this event loop; the
 * server stops it (and what it runs) when it stops.
 */
async function startConnectorsLive(ctx: OpContext, hooks: HookRegistry, cwd: string, branch?: string) {
  const { startLiveSync, asLivePass } = await import('../connectors/connectorsEntry.js');
  return startLiveSync({
    ctx,
    hooks,
    log: (l) => process.stderr.write(`${l}\n`),
    runPass: async (kind, only) =>
      asLivePass(await runOpInChild({ cwd, branch, name: `sync ${kind}`, input: null, pass: { kind, only } })),
  });
}
