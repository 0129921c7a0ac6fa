import { existsSync, readFileSync, type Stats, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { Context } from 'hono';
import { type GzipOnce, sendGzipOnce } from './gzipAnswers.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** dist/web next to the server bundle (dist/server.cjs); TACK_WEB_DIR overrides it. */
export function webDir(): string | null {
  const dir = process.env.TACK_WEB_DIR ?? (typeof __dirname === 'string' ? join(__dirname, 'web') : null);
  return dir && existsSync(join(dir, 'index.html')) ? dir : null;
}

/**
 * The web UI's files, and index.html for any other path (the app routes on the client).
 * Only GET/HEAD outside /api and /hooks reach this, so it never shadows the API.
 */
export function webHandler(dir: string) {
  const root = normalize(dir + sep);
  const files = new Map<string, WebFile>();
  return (c: Context) => {
    let rel: string | null;
    try {
      rel = decodeURIComponent(c.req.path).replace(/^\/+/, '');
    } catch {
      rel = null; // names no file: the app's page, which says what it cannot find
    }
    const file = rel === null ? null : normalize(join(root, rel));
    const stat = rel && file?.startsWith(root) ? statSync(file, { throwIfNoEntry: false }) : undefined;
    if (rel && file && stat?.isFile()) {
      // Vite puts a content hash in every asset name: they never change under that name.
      const immutable = rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      return send(c, files, file, stat, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': immutable,
      });
    }
    if (extname(c.req.path) && c.req.path.startsWith('/assets/')) return c.text('not found', 404);
    // Checked each time: a rebuild while the server runs names new assets in a new index.html.
    const page = join(dir, 'index.html');
    return send(c, files, page, statSync(page), { 'content-type': TYPES['.html'], 'cache-control': 'no-cache' });
  };
}

/** A file of the web UI as last read, with its gzip made once (not on every page load). */
interface WebFile extends GzipOnce {
  mtimeMs: number;
  size: number;
  bytes: Uint8Array;
}

function send(
  c: Context,
  files: Map<string, WebFile>,
  path: string,
  { mtimeMs, size }: Stats,
  headers: Record<string, string>,
) {
  let f = files.get(path);
  if (!f || f.mtimeMs !== mtimeMs || f.size !== size) {
    f = { mtimeMs, size, bytes: readFileSync(path) };
    files.set(path, f);
  }
  return sendGzipOnce(c, f, f.bytes, headers);
}
