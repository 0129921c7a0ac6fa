import type { MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';

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
