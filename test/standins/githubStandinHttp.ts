import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One request as the GitHub stand-in's handlers see it. */
export interface Ctx {
  method: string;
  url: URL;
  params: string[];
  body: unknown;
  headers: IncomingMessage['headers'];
  res: ServerResponse;
}

export type Handler = (req: Ctx) => Promise<void> | void;

/** An answer GitHub gives instead of the resource (404, 410, 422...). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly payload: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

export function send(res: ServerResponse, status: number, payload: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(payload));
}

/** 200 with an ETag, or 304 when the client already has this exact representation. */
export function conditional(c: Ctx, payload: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(payload);
  const etag = `W/"${createHash('sha1').update(text).digest('hex')}"`;
  c.res.setHeader('etag', etag);
  for (const [k, v] of Object.entries(headers)) c.res.setHeader(k, v);
  if (c.headers['if-none-match'] === etag) {
    c.res.statusCode = 304;
    c.res.end();
    return;
  }
  send(c.res, 200, payload);
}

/** One page of `items` (per_page, page) with GitHub's Link header to the others. */
export function paginate<T>(c: Ctx, base: string, items: T[]): void {
  const perPage = Math.min(100, Number(c.url.searchParams.get('per_page') ?? 30));
  const page = Math.max(1, Number(c.url.searchParams.get('page') ?? 1));
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (p: number, rel: string) => {
    const u = new URL(c.url.pathname + c.url.search, base);
    u.searchParams.set('page', String(p));
    u.searchParams.set('per_page', String(perPage));
    return `<${u}>; rel="${rel}"`;
  };
  const rels = [];
  if (page < last) rels.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) rels.push(link(1, 'first'), link(page - 1, 'prev'));
  conditional(c, items.slice((page - 1) * perPage, page * perPage), rels.length ? { link: rels.join(', ') } : {});
}
