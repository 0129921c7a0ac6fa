import type { z } from 'zod';
import type { reservationShape } from './workShapes.js';
import { posix } from 'node:path';
import { TackError } from './errors.js';
import { parseDuration } from './duration.js';

/**
 * File reservations: "I am editing these paths, keep off". All of them live in one lease
 * commit that `refs/tack/reservations` points at (one JSON line each), so every change is a
 * compare-and-swap of that ref here and a non-forced push across clones: two clones that
 * reserve overlapping paths at once cannot both win, whatever the patterns.
 */
export type Reservation = z.infer<ReturnType<typeof reservationShape>>;

export const RESERVATIONS_REF = 'refs/tack/reservations';
export const DEFAULT_RESERVATION_TTL = '2h';
export const MAX_RESERVATION_TTL_MS = 30 * 86_400_000;
export const MAX_PATTERN_LENGTH = 256;
export const MAX_PATTERNS_PER_CALL = 50;
/** Live reservations of the whole repository: a bound on the lease commit and on every check. */
export const MAX_RESERVATIONS = 500;
const MAX_STARS = 8;
const MAX_BRACES = 2;

const GLOB_CHARS = /[*?[\]{}]/;
const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROL_ALL = /[\u0000-\u001f\u007f]/g;

function refuse(raw: string, why: string): TackError {
  return new TackError(
    'invalid_input',
    `reservation pattern ${JSON.stringify(raw.slice(0, 80))} is refused: ${why}; expected a path relative to the repository root (e.g. src/parser/ or src/**/*.ts)`,
    { received: raw.slice(0, MAX_PATTERN_LENGTH), field: 'paths' },
  );
}

export function isGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

/**
 * Check a path or glob typed by anyone and return its one spelling: relative to the
 * repository root, `/`-separated, no `./`, no trailing `/`. Whatever could escape the
 * repository, reach into .git, match everything, or make matching explode is refused.
 */
export function normalizePattern(raw: string): string {
  if (typeof raw !== 'string' || raw.length === 0) throw refuse(String(raw), 'it is empty');
  if (raw.length > MAX_PATTERN_LENGTH) throw refuse(raw, `it is longer than ${MAX_PATTERN_LENGTH} characters`);
  if (CONTROL.test(raw)) throw refuse(raw, 'it contains a control character');
  if (raw.includes('\\')) throw refuse(raw, 'it contains "\\" (use "/" between folders)');
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) throw refuse(raw, 'it is an absolute path');
  if (raw.startsWith('!') || raw.startsWith('-')) throw refuse(raw, `it starts with "${raw[0]}"`);
  if (/[+@!?*]\(/.test(raw)) throw refuse(raw, 'extended globs such as +(…) are not supported');
  const segments = raw.split('/');
  while (segments.length > 1 && segments[0] === '.') segments.shift();
  while (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  for (const s of segments) {
    if (s === '') throw refuse(raw, 'it has an empty folder name ("//")');
    if (s === '..') throw refuse(raw, 'it contains ".." (reservations stay inside the repository)');
    if (s === '.') throw refuse(raw, 'it contains "." as a folder');
  }
  if (segments[0].toLowerCase() === '.git') throw refuse(raw, 'it names .git, which is not a working file');
  const pattern = segments.join('/');
  if ((pattern.match(/\*/g) ?? []).length > MAX_STARS) throw refuse(raw, `it has more than ${MAX_STARS} "*"`);
  if ((pattern.match(/\{/g) ?? []).length > MAX_BRACES) throw refuse(raw, `it has more than ${MAX_BRACES} "{…}"`);
  if (segments.every((s) => s === '**' || s === '*')) throw refuse(raw, 'it reserves the whole repository');
  return pattern;
}

/** Patterns from a caller: each checked, duplicates dropped, at most MAX_PATTERNS_PER_CALL. */
export function normalizePatterns(raw: readonly string[]): string[] {
  if (raw.length > MAX_PATTERNS_PER_CALL) {
    throw new TackError(
      'invalid_input',
      `${raw.length} paths given; expected at most ${MAX_PATTERNS_PER_CALL} per call (reserve a folder or a glob instead)`,
      { field: 'paths', received: raw.length },
    );
  }
  return [...new Set(raw.map(normalizePattern))];
}

/** `--ttl` as milliseconds: a duration such as 30m, 2h or 1d, at most 30 days. */
export function reservationTtl(ttl: string | undefined): number {
  const text = ttl ?? DEFAULT_RESERVATION_TTL;
  const ms = parseDuration(text);
  if (ms === null || ms <= 0 || ms > MAX_RESERVATION_TTL_MS) {
    throw new TackError(
      'invalid_input',
      `--ttl ${JSON.stringify(text)} is not a duration up to 30 days; expected something like 30m, 2h or 1d`,
      { field: 'ttl', received: text },
    );
  }
  return ms;
}

/** The folders before a glob's first wildcard, with a trailing "/" ("" when it starts with one). */
function literalDir(pattern: string): string {
  const segments = pattern.split('/');
  const first = segments.findIndex((s) => isGlob(s));
  return first <= 0 ? '' : `${segments.slice(0, first).join('/')}/`;
}

/** A test of whether a repository path (as git lists it) falls under a reservation's pattern. */
export function coverTest(pattern: string): (path: string) => boolean {
  if (!isGlob(pattern)) {
    const below = `${pattern}/`;
    return (path) => path === pattern || path.startsWith(below);
  }
  // matchesGlob compiles the glob on every call (~40 µs): paths outside its folder, or
  // whose name does not end as the glob's last name does (".md"), are turned away first,
  // so a commit of many files stays fast.
  const dir = literalDir(pattern);
  const tail = /[^*?\]}/]*$/.exec(pattern)![0];
  const tailDir = `${tail}/`;
  const folder = `${pattern}/**`;
  return (path) => {
    if (dir && !path.startsWith(dir)) return false;
    if (tail && !path.endsWith(tail) && !path.includes(tailDir)) return false;
    // A glob that names a folder (`src/*`) covers what is inside it too.
    return posix.matchesGlob(path, pattern) || posix.matchesGlob(path, folder);
  };
}

export function patternCovers(pattern: string, path: string): boolean {
  return coverTest(pattern)(path);
}

/** A path that a glob matches, for overlap tests: each wildcard replaced by something it accepts. */
function witness(pattern: string): string {
  return pattern
    .replace(/\{([^{},]*)[^{}]*\}/g, '$1')
    .replace(/\[!?([^\]])[^\]]*\]/g, '$1')
    .replace(/\*\*\//g, '')
    .replace(/\/\*\*$/g, '/x')
    .replace(/[*?]/g, 'x');
}

/**
 * Whether two reservations may cover a common path. Exact for paths; for globs it tries a
 * path each one matches against the other, so it can miss an overlap of two globs (the
 * commit hook still checks each staged path against every reservation).
 */
export function patternsOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  return patternCovers(a, witness(b)) || patternCovers(b, witness(a)) || patternCovers(a, b) || patternCovers(b, a);
}

export function isLiveReservation(r: Reservation, now: string): boolean {
  return Date.parse(r.expires) > Date.parse(now);
}

/** The lease commit's message: a readable subject, then one JSON line per reservation. */
export function formatReservationsMessage(list: readonly Reservation[], subject: string): string {
  // A subject is one line whatever a user name holds: no line of it can pose as a reservation.
  const line = subject.replace(CONTROL_ALL, ' ');
  return `${line}\n\n${list.map((r) => JSON.stringify(r)).join('\n')}\n`;
}

/** The reservations in a message written by formatReservationsMessage (bad lines skipped, bounded). */
export function parseReservationsMessage(message: string): Reservation[] {
  const out: Reservation[] = [];
  for (const line of message.split('\n')) {
    if (out.length >= MAX_RESERVATIONS * 2) break;
    if (!line.startsWith('{') || line.length > 4096) continue;
    try {
      const o = JSON.parse(line) as Partial<Reservation>;
      if (typeof o.pattern !== 'string' || typeof o.owner !== 'string' || typeof o.expires !== 'string') continue;
      // Written by another clone: only a pattern that passes today's checks is believed.
      const pattern = normalizePattern(o.pattern);
      out.push({
        pattern,
        owner: o.owner.slice(0, 200),
        ticket: typeof o.ticket === 'string' ? o.ticket.slice(0, 100) : null,
        expires: o.expires,
        reserved: typeof o.reserved === 'string' ? o.reserved : o.expires,
      });
    } catch {
      // not a reservation line
    }
  }
  return out;
}
