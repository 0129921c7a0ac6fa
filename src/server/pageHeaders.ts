import { nextPage, type PageInfo } from '../ops/page.js';

/**
 * A paged answer's size and next page as HTTP says them (the body stays the array):
 * `X-Total-Count`, and a `Link` with `rel="next"` as GitHub's API does.
 */
export function pageHeaders(info: PageInfo | undefined, url: string): Record<string, string> {
  if (!info) return {};
  const headers: Record<string, string> = { 'X-Total-Count': String(info.total) };
  const next = nextPage(info);
  if (next) {
    const u = new URL(url);
    u.searchParams.set('offset', String(next.offset));
    headers.Link = `<${u.pathname}${u.search}>; rel="next"`;
  }
  return headers;
}
