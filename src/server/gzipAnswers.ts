import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';
import { accepts } from 'hono/accepts';
import { compress } from 'hono/compress';
import type { CachedAnswer } from './readCache.js';

const gzipAsync = promisify(gzip);
/** Smaller answers are sent as they are (as the middleware below does). */
const THRESHOLD = 1024;

/**
 * Answers compressed when the client accepts it (a 10,000-ticket list is ~10× smaller); the
 * event stream is left alone (its events must leave at once). An ETag stays strong: it names
 * the ticket's version, which If-Match compares whatever the transfer encoding.
 */
export function gzipAnswers(): MiddlewareHandler {
  const gzip = compress();
  return async (c, next) => {
    await gzip(c, next);
    const etag = c.res.headers.get('ETag');
    if (etag?.startsWith('W/') && c.res.headers.has('Content-Encoding')) c.res.headers.set('ETag', etag.slice(2));
  };
}

/** Something sent again and again (a cached answer, a file of the web UI): its gzip, made once. */
export interface GzipOnce {
  gzip?: Promise<Uint8Array>;
}

/**
 * `body` gzipped when the client accepts it, compressed once per holder rather than once
 * per request; small bodies as they are (as the middleware above does).
 */
export async function sendGzipOnce(
  c: Context,
  holder: GzipOnce,
  body: string | Uint8Array,
  headers: Record<string, string>,
): Promise<Response> {
  const wantsGzip = accepts(c, { header: 'Accept-Encoding', supports: ['gzip'], default: 'identity' }) === 'gzip';
  if (body.length < THRESHOLD || !wantsGzip)
    return typeof body === 'string'
      ? c.body(body, 200, headers)
      : c.body(body as Uint8Array<ArrayBuffer>, 200, headers);
  holder.gzip ??= gzipAsync(body).then(
    (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
    (e) => {
      holder.gzip = undefined; // the next request tries again rather than failing for good
      throw e;
    },
  );
  const gz = await holder.gzip;
  // Already encoded: the compress middleware leaves it as it is.
  return c.body(gz as Uint8Array<ArrayBuffer>, 200, {
    ...headers,
    'content-encoding': 'gzip',
    vary: 'Accept-Encoding',
  });
}

/**
 * A cached read's answer, gzipped once per cached answer rather than once per request: the
 * web UI's first load asks for every summary (4 MB of JSON at 10,000 tickets, ~45 ms to
 * compress), and every page opened paid for it again.
 */
export async function sendCached(c: Context, answer: CachedAnswer): Promise<Response> {
  if (answer.etag) c.header('ETag', `"${answer.etag}"`);
  return sendGzipOnce(c, answer, answer.json, { 'content-type': 'application/json', ...answer.headers });
}
