import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { httpError } from './httpErrors.js';

export interface SecurityOptions {
  /** The address the server is bound to (127.0.0.1 by default). */
  host: string;
  /** The port it listens on; known only after listen when 0 was asked for. */
  port(): number;
  /** Bearer token required on every request except webhooks; null: none (loopback). */
  token: string | null;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\./.test(host);
}

/** Host headers this server answers to: its own name, and for loopback every loopback spelling. */
export function allowedHosts(opts: SecurityOptions): Set<string> | null {
  if (WILDCARD.has(opts.host)) return null; // reachable under any name; the token guards it
  const port = opts.port();
  const names = isLoopback(opts.host) ? [...LOOPBACK, opts.host] : [opts.host];
  return new Set(names.map((n) => `${n.includes(':') && !n.startsWith('[') ? `[${n}]` : n}:${port}`.toLowerCase()));
}

function sameToken(given: string, want: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(want);
  return a.length === b.length && timingSafeEqual(a, b);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function tokenGiven(c: Context): string {
  const auth = c.req.header('authorization') ?? '';
  return auth.startsWith('Bearer ') ? auth.slice(7) : c.req.path === '/api/events' ? (c.req.query('token') ?? '') : '';
}

function ownOrigin(origin: string, hosts: Set<string> | null, host: string): boolean {
  if (!origin.startsWith('http://')) return false;
  const o = origin.slice(7).toLowerCase();
  return hosts ? hosts.has(o) : o === host;
}

/**
 * Why a request is another site's, or null. Browsers say so in Sec-Fetch-Site and Origin;
 * a page cannot forge either, and it cannot read or send our token. Clients without
 * these headers (curl, scripts, agents) are not browsers making cross-site requests.
 */
function crossSite(c: Context, hosts: Set<string> | null, host: string): string | null {
  const site = c.req.header('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') return `Sec-Fetch-Site: ${site}`;
  const origin = c.req.header('origin');
  if (origin !== undefined && !ownOrigin(origin, hosts, host)) return `Origin: ${origin}`;
  return null;
}

/**
 * Safe by default. The Host check defeats DNS rebinding (a page on evil.example whose
 * name now resolves to 127.0.0.1); the cross-site check stops another site's page from
 * using the API through the user's browser, on every /api route (a read may run git: a
 * GET must not be a way in) and on every write; the bearer token guards anything not
 * bound to loopback, and a request that carries it is no forgery.
 */
export function securityMiddleware(opts: SecurityOptions): MiddlewareHandler {
  return async (c, next) => {
    const hosts = allowedHosts(opts);
    const host = (c.req.header('host') ?? '').toLowerCase();
    if (hosts && !hosts.has(host)) {
      const e = httpError(
        'forbidden',
        `host "${host}" is not this server's; expected one of: ${[...hosts].join(', ')}`,
      );
      return c.json(e.body, 403);
    }
    // Webhooks come from services, not browsers, and prove themselves by signature.
    const isHook = c.req.path.startsWith('/hooks/');
    const isApi = /^\/api(\/|$)/.test(c.req.path);
    const tokenOk = opts.token !== null && sameToken(tokenGiven(c), opts.token);
    if (!isHook && !tokenOk && (isApi || !SAFE_METHODS.has(c.req.method))) {
      const why = crossSite(c, hosts, host);
      if (why) {
        const e = httpError(
          'forbidden',
          `cross-site ${c.req.method} ${c.req.path} refused (${why}); expected a request from the server's own origin, or one with its bearer token`,
        );
        return c.json(e.body, 403);
      }
    }
    // The web UI's static files hold no data: the page asks for the token, the API checks it.
    const isWebFile = SAFE_METHODS.has(c.req.method) && !/^\/(api|hooks)(\/|$)/.test(c.req.path);
    if (opts.token && !isHook && !isWebFile && !tokenOk) {
      const e = httpError(
        'unauthorized',
        'missing or wrong bearer token; expected "Authorization: Bearer <token>" (printed by tack serve)',
      );
      return c.json(e.body, 401);
    }
    await next();
  };
}
