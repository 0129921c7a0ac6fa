import type * as Crypto from 'node:crypto';
import { TackError } from './errors.js';
import { lazyBuiltin } from './lazyBuiltin.js';

const crypto = lazyBuiltin<typeof Crypto>('node:crypto');

/**
 * Ticket ids are `<prefix>-<base36>`: random (never sequential, so clones and agents
 * cannot collide), stored at full length, shown at the shortest unique prefix of at
 * least MIN_SHOWN characters, and accepted by any unique prefix.
 */
export const ID_RANDOM_LENGTH = 8;
export const MIN_SHOWN = 4;
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export function randomBase36(length: number): string {
  const bytes = crypto().randomBytes(length * 2);
  let out = '';
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 36).
  for (let i = 0; i < bytes.length && out.length < length; i++) {
    if (bytes[i] < 252) out += ALPHABET[bytes[i] % 36];
  }
  return out.length === length ? out : randomBase36(length);
}

/** A fresh id that is neither an existing id nor shares its shown prefix with one. */
export function newId(prefix: string, exists: (candidate: string) => boolean): string {
  for (let attempt = 0; attempt < 100; attempt++) {
    const id = `${prefix}-${randomBase36(ID_RANDOM_LENGTH)}`;
    if (!exists(id)) return id;
  }
  throw new TackError('internal', 'could not find a free ticket id after 100 attempts');
}

export function isTicketId(s: string): boolean {
  return /^[a-z][a-z0-9]{0,9}-[0-9a-z]+$/.test(s);
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * Shortest unique display form for each id in a sorted list of all ids: the random part
 * is cut to one character past the longest prefix it shares with a neighbour.
 */
export function shortIds(sortedIds: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < sortedIds.length; i++) {
    out.set(sortedIds[i], shortenAgainst(sortedIds[i], [sortedIds[i - 1], sortedIds[i + 1]]));
  }
  return out;
}

/** Shortest display of `id` given its sorted neighbours (either may be undefined). */
export function shortenAgainst(id: string, neighbours: ReadonlyArray<string | undefined>): string {
  const dash = id.indexOf('-');
  let keep = dash + 1 + MIN_SHOWN;
  for (const n of neighbours) {
    if (n && n !== id) keep = Math.max(keep, commonPrefixLength(id, n) + 1);
  }
  return id.slice(0, Math.min(keep, id.length));
}

/** Where `x` is, or would go, in sorted `a` (a binary search). */
export function sortedIndex(a: readonly string[], x: string): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * References to `ids` resolved as the index resolves them: the id itself, or the one id a
 * reference is a prefix of (written by hand); null when none or several. A binary search
 * in the sorted ids: filtering every id for each reference took `doctor` 42 s at 20,000
 * tickets whose parent names no ticket.
 */
export function idResolver(ids: Iterable<string>): (ref: string) => string | null {
  const sorted = [...new Set(ids)].sort();
  return (ref) => {
    const lo = sortedIndex(sorted, ref);
    const first = sorted[lo];
    if (first === undefined || !first.startsWith(ref)) return null;
    if (first === ref) return ref;
    return sorted[lo + 1]?.startsWith(ref) ? null : first;
  };
}

/**
 * Resolve user input to one id. `candidates` are the ids starting with the input (the
 * caller looks them up). Exact match wins; otherwise exactly one candidate is required.
 */
export function resolveFromCandidates(input: string, candidates: readonly string[]): string {
  if (candidates.includes(input)) return input;
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) {
    throw new TackError(
      'not_found',
      `no ticket with id "${input}"; expected an id or a unique prefix of one (see \`tack list --all\`)`,
      { id: input },
    );
  }
  const shown = candidates.slice(0, 10);
  throw new TackError(
    'ambiguous_id',
    `id prefix "${input}" is ambiguous; it matches ${candidates.length} tickets: ${shown.join(', ')}${candidates.length > 10 ? ', …' : ''}`,
    { id: input, candidates: [...candidates] },
  );
}
