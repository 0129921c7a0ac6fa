import { OVERLAP_MS, type GithubCursor, type Tie } from './githubCursor.js';

/*
 * The walk of a GitHub pull, pure: where a pass starts and the cursor after each page. A
 * pass walks the list oldest-update first and asks each page for what changed at or after
 * the last item it read, never for "page N" of a list that moves while it reads: an issue
 * edited meanwhile moves ahead of the walk (read again later), never past it.
 */

/** Issues per list page: GitHub's maximum. */
export const PAGE_SIZE = 100;

/** Where a pass starts: the last pass's newest update, less the overlap GitHub's lag needs. */
function overlapped(since: string): string {
  return new Date(Date.parse(since) - OVERLAP_MS).toISOString().replace('.000Z', 'Z');
}

/** GitHub's own time format (whole seconds), from an HTTP date; null when there is none. */
function githubTime(httpDate: string | undefined): string | null {
  const t = Date.parse(httpDate ?? '');
  return Number.isNaN(t) ? null : new Date(t).toISOString().replace('.000Z', 'Z');
}

/** The tie marked stirred once a page shows an issue updated since it began (always, without a clock). */
function stirred(tie: Tie | undefined, times: string[]): Tie | undefined {
  if (!tie || tie.stirred || !times.some((t) => tie.at === null || t >= tie.at)) return tie;
  return { ...tie, stirred: true };
}

/** A high-water mark the next pass starts from `second` with (its overlap taken off again). */
function heldBack(high: string, second: string): string {
  const mark = new Date(Date.parse(second) + OVERLAP_MS).toISOString().replace('.000Z', 'Z');
  return Date.parse(mark) < Date.parse(high) ? mark : high;
}

type Walk = NonNullable<GithubCursor['walk']>;

/** The walk of the pass in progress, or of a new one from the last pass's mark. */
export function walkOf(c: GithubCursor): Walk {
  return c.walk ?? { from: c.since ? overlapped(c.since) : null, page: 1, high: c.since ?? null };
}

export interface ListPage {
  /** The `updated_at` of every item listed (pull requests too), sorted. */
  times: string[];
  /** GitHub's Link header names a next page. */
  hasNext: boolean;
  /** The answer's HTTP date and ETag. */
  date?: string;
  etag?: string;
}

/** The cursor after one page: the next page's walk (`more`), or the finished pass. */
export function afterPage(c: GithubCursor, walk: Walk, page: ListPage): { more: boolean; cursor: GithubCursor } {
  const { times } = page;
  const tie = stirred(walk.tie, times);
  const high =
    [walk.high, times.at(-1)]
      .filter((x): x is string => !!x)
      .sort()
      .at(-1) ?? null;
  if (page.hasNext) {
    const last = times.at(-1) ?? null;
    // From the last item's second on (GitHub's `since` includes it; repeats are harmless);
    // a page that is all one second cannot move `from`, so page on within that second.
    // (The same when the whole page is one second: moving `from` there would re-read it.)
    const moves = last && last !== walk.from && times[0] !== last;
    const next = moves
      ? { from: last, page: 1, high, ...(tie ? { tie } : {}) }
      : {
          ...walk,
          page: walk.page + 1,
          high,
          tie: tie ?? (last ? { second: last, at: githubTime(page.date), stirred: false } : undefined),
        };
    return { more: true, cursor: { ...c, walk: next, etag: undefined } };
  }
  const from = walk.from ?? undefined;
  return {
    more: false,
    cursor: {
      since: (high && tie?.stirred ? heldBack(high, tie.second) : high) ?? undefined,
      scan: c.scan,
      ...(!c.walk && page.etag && high === (c.since ?? null) ? { etag: { since: from, value: page.etag } } : {}),
    },
  };
}
