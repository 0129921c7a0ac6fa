import { TackError } from '../model/errors.js';
import { parseDuration } from '../model/duration.js';

/** Without --timeout: long enough to cover a review round-trip on a terminal, short enough to come back. */
export const WAIT_DEFAULT_MS = 10 * 60_000;
/** A day: a longer wait is a job for a trigger (`on.` hooks), not a blocked process. */
export const WAIT_MAX_MS = 24 * 3_600_000;

/**
 * `--timeout` as milliseconds: a number of seconds (0: test once, do not wait) or a
 * duration (90s, 5m, 2h). Anything else, negative, or over a day is refused.
 */
export function timeoutMs(raw: number | string | undefined): number {
  if (raw === undefined) return WAIT_DEFAULT_MS;
  const text = String(raw).trim();
  const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : parseDuration(text);
  if (ms === null || !Number.isFinite(ms)) {
    throw new TackError(
      'invalid_input',
      `--timeout expects seconds, 0 or more (e.g. 30), or a duration (90s, 5m, 2h); received ${JSON.stringify(raw)}`,
      { field: 'timeout', received: raw },
    );
  }
  if (ms > WAIT_MAX_MS)
    throw new TackError(
      'invalid_input',
      `--timeout ${JSON.stringify(raw)} is over the maximum of 24h (86400 s); expected a shorter wait, or an \`on.\` hook for longer`,
      { field: 'timeout', received: raw, max_seconds: WAIT_MAX_MS / 1000 },
    );
  return Math.round(ms);
}
