import { TackError } from './errors.js';

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** "7d", "12h", "2w", "30m", "90s" → milliseconds; null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d|w)\s*$/i.exec(text);
  if (!m) return null;
  return Number(m[1]) * UNIT_MS[m[2].toLowerCase()];
}

/**
 * A setting's time limit in milliseconds: "500ms", a bare number of milliseconds, or a
 * duration ("5s", "2m"); `what` names the flag or key in the error.
 */
export function millisSetting(raw: string, what: string): number {
  const millis = /^\s*(\d+)\s*(ms)?\s*$/.exec(raw);
  const ms = millis ? Number(millis[1]) : parseDuration(raw);
  if (ms === null || !Number.isFinite(ms) || ms < 0) {
    throw new TackError(
      'invalid_input',
      `${what} expects a duration like 5s or 500ms; received ${JSON.stringify(raw)}`,
      { field: what, received: raw },
    );
  }
  return ms;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The moment `since` points at, as an ISO time: a duration back from `now` (7d, 12h, 2w)
 * or an absolute date/time (2026-11-01, 2026-11-01T09:00:00Z).
 */
export function timeBefore(now: string, since: string): string {
  const nowMs = Date.parse(now);
  const ms = parseDuration(since);
  if (ms !== null && Number.isFinite(nowMs)) return iso(nowMs - ms);
  if (/^\d{4}-\d\d-\d\d([T ][\d:.]+(Z|[+-]\d\d:\d\d)?)?$/.test(since.trim())) {
    const t = Date.parse(since.trim().length === 10 ? `${since.trim()}T00:00:00Z` : since.trim());
    if (Number.isFinite(t)) return iso(t);
  }
  throw new TackError(
    'invalid_input',
    `--since ${JSON.stringify(since)} is neither a duration nor a date; expected a duration like 30m, 12h, 7d, 2w or a date like 2026-11-01`,
    { field: 'since', received: since },
  );
}
