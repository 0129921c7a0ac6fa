/**
 * The GitHub pull cursor: the newest `updated_at` of the last complete pass (`since`), the
 * walk of a pass that spans several pages, and the ETag of the last empty-handed first page,
 * so an unchanged repository answers 304 (which GitHub does not count against the quota).
 * Opaque to the engine: JSON in a string.
 */
export interface GithubCursor {
  since?: string;
  /**
   * A pass in progress. Each page lists what changed at or after `from` (null: everything),
   * oldest first, `page` pages in (past page 1 only while a whole page shares one second);
   * `high` is the newest `updated_at` read so far. Null, not absent, for "everything": the
   * cursor is JSON, and an absent key would turn the next page into another query.
   */
  walk?: { from: string | null; page: number; high: string | null; tie?: Tie };
  etag?: { since: string | undefined; value: string };
  /** The last scan for deleted issues: when, and the highest issue number then. */
  scan?: { at: string; maxNumber: number };
}

/**
 * A second the walk had to page through by page number (more than a page of issues share
 * it), and GitHub's clock when it began. An issue in that second edited meanwhile leaves it,
 * shifting the later pages up one: the one that slides onto a page already read is missed.
 * Such an edit shows as an issue updated at or after `at` (`stirred`); the pass then ends
 * with the high-water mark held back so the next pass reads that second again.
 */
export interface Tie {
  second: string;
  at: string | null;
  stirred: boolean;
}

/** GitHub's timestamps have one-second resolution and its index lags: re-read the last minute. */
export const OVERLAP_MS = 60_000;

export function decodeGithubCursor(cursor: string | undefined): GithubCursor {
  if (!cursor) return {};
  try {
    const c = JSON.parse(cursor) as GithubCursor;
    return typeof c === 'object' && c !== null ? c : {};
  } catch {
    // A cursor from an older format: start over (re-reads are harmless, the engine dedups).
    return {};
  }
}

export function encodeGithubCursor(c: GithubCursor): string {
  return JSON.stringify(c);
}
