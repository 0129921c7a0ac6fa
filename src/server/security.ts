import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
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

/**
 * Safe by default. The Host check defeats DNS rebinding (a page on evil.example whose
 * name now resolves to 127.0.0.1); the Origin check stops cross-site form and fetch
 * posts (CSRF); the bearer token guards anything not bound to loopback. Requests
 * without Origin (curl, scripts, agents) are not browsers' cross-site requests.
 */
export function securityMiddleware(opts: SecurityOptions): MiddlewareHandler {
  return async (c, next) => {
    const hosts = allowedHosts(opts);
    const host = (c.req.header('host') ?? '').toLowerCase();
    if (hosts && !hosts.has(host)) {
      const e = httpError('forbidden', `host "${host}" is not this server's; expected one of: ${[...hosts].join(', ')}`);
      return c.json(e.body, 403);
    }
    const isHook = c.req.path.startsWith('/hooks/');
    if (!SAFE_METHODS.has(c.req.method) && !isHook) {
      const origin = c.req.header('origin');
      if (origin !== undefined && !(origin.startsWith('http://') && (hosts ? hosts.has(origin.slice(7).toLowerCase()) : origin.slice(7).toLowerCase() === host))) {
        const e = httpError('forbidden', `cross-origin ${c.req.method} from ${origin} refused; expected the server's own origin`);
        return c.json(e.body, 403);
      }
    }
    // The web UI's static files hold no data: the page asks for the token, the API checks it.
    const isWebFile = SAFE_METHODS.has(c.req.method) && !/^\/(api|hooks)(\/|$)/.test(c.req.path);
    if (opts.token && !isHook && !isWebFile) {
      const auth = c.req.header('authorization') ?? '';
      const given = auth.startsWith('Bearer ') ? auth.slice(7) : (c.req.path === '/api/events' ? c.req.query('token') ?? '' : '');
      if (!sameToken(given, opts.token)) {
        const e = httpError('unauthorized', 'missing or wrong bearer token; expected "Authorization: Bearer <token>" (printed by tack serve)');
        return c.json(e.body, 401);
      }
    }
    await next();
  };
}
