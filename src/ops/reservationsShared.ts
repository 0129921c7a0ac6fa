import {
  coverTest,
  formatReservationsMessage,
  isLiveReservation,
  parseReservationsMessage,
  RESERVATIONS_REF,
  normalizePattern,
  patternsOverlap,
  type Reservation,
} from '../model/reservation.js';
import { fetchLeaseRef, swapLeaseRef } from '../git/leases.js';
import { readReservations } from '../git/reservations.js';
import { discoverRepo } from '../git/repo.js';
import { resolveRemote } from '../git/remote.js';
import type { OpContext } from './op.js';
import type { Repo } from '../git/repo.js';

/** Reading reservations for `reservations`, the pre-commit check, `brief` and `prime`. */

/**
 * The repository whose files are reserved: the one around cwd, where commits are made
 * (a store kept in another repository plans work, it is not where the files are).
 */
export function reservationsRepo(ctx: OpContext): Repo {
  return discoverRepo(ctx.cwd);
}

/** Where reservations are published: as for claims (--remote, tack.remote, origin, the only one). */
export function reservationsRemote(repo: Repo, o: { remote?: string; local?: boolean }): string | null {
  return o.local ? null : resolveRemote(repo, o.remote);
}

/** Live reservations for prime and brief; none when cwd is not in a repository. */
export function liveReservationsHere(ctx: OpContext): Reservation[] {
  try {
    return liveReservations(reservationsRepo(ctx), ctx.now());
  } catch {
    return [];
  }
}

export function describeReservation(r: Reservation): string {
  return `${r.pattern} (${r.owner} until ${r.expires}${r.ticket ? `, ${r.ticket}` : ''})`;
}

/** "alice until …" with the pattern and ticket, for messages about a path it covers. */
export function whoHolds(r: Reservation): string {
  return `${r.owner} until ${r.expires} (${r.pattern}${r.ticket ? `, ${r.ticket}` : ''})`;
}

/** The live reservations this clone knows, oldest first. */
export function liveReservations(repo: Repo, now: string): Reservation[] {
  return readReservations(repo)
    .list.filter((r) => isLiveReservation(r, now))
    .sort((a, b) => a.reserved.localeCompare(b.reserved) || a.pattern.localeCompare(b.pattern));
}

export interface PathConflict {
  path: string;
  reservation: Reservation;
}

/**
 * Each path that a reservation of someone other than `me` covers (the first such
 * reservation). Stops after `budgetMs` (a commit must not wait on hundreds of globs times
 * thousands of paths): `checked` says how many paths were looked at.
 */
export function othersCovering(
  list: readonly Reservation[],
  paths: readonly string[],
  me: string,
  budgetMs = Number.POSITIVE_INFINITY,
): { conflicts: PathConflict[]; checked: number } {
  const others = list.filter((r) => r.owner !== me).map((r) => ({ r, covers: coverTest(r.pattern) }));
  const conflicts: PathConflict[] = [];
  if (others.length === 0) return { conflicts, checked: paths.length };
  const end = performance.now() + budgetMs;
  let checked = 0;
  for (const path of paths) {
    if (checked % 64 === 0 && performance.now() > end) break;
    const hit = others.find((o) => o.covers(path));
    if (hit) conflicts.push({ path, reservation: hit.r });
    checked++;
  }
  return { conflicts, checked };
}

/** Paths a text names in backticks (`src/parser/lex.ts`): where a ticket says its work is. */
export function pathsNamedIn(text: string, max = 50): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/`([^`\s]{1,256})`/g)) {
    if (out.size >= max) break;
    if (!/\/|\.[A-Za-z0-9]{1,8}$/.test(m[1])) continue;
    try {
      out.add(normalizePattern(m[1]));
    } catch {
      // not a path
    }
  }
  return [...out];
}

/** The reservations `brief` shows: for the ticket or its relatives, covering paths it names, or mine. */
export function forBrief(
  list: readonly Reservation[],
  o: { tickets: readonly string[]; paths: readonly string[]; me: string },
  max = 20,
): Array<Reservation & { mine: boolean }> {
  return list
    .filter(
      (r) =>
        (r.ticket !== null && o.tickets.includes(r.ticket)) ||
        o.paths.some((p) => patternsOverlap(r.pattern, p)) ||
        r.owner === o.me,
    )
    .slice(0, max)
    .map((r) => ({ ...r, mine: r.owner === o.me }));
}

/**
 * Finished work keeps no reservation: the live reservations `owners` made for `ids` are
 * dropped (here and on `remote`), with the claim mechanism. Nothing to drop in this
 * clone's copy means no network at all. Returns what was released.
 */
export function releaseForTickets(
  repo: Repo,
  /** Asked only when there is something to release. */
  remote: () => string | null,
  ids: readonly string[],
  owners: readonly string[],
  now: string,
): Reservation[] {
  const ours = (r: Reservation) => r.ticket !== null && ids.includes(r.ticket) && owners.includes(r.owner);
  if (!readReservations(repo).list.some(ours)) return [];
  let released: Reservation[] = [];
  swapLeaseRef(repo, {
    ref: RESERVATIONS_REF,
    remote: remote(),
    what: 'the reservations',
    hint: 'release them with `tack reserve --release --ticket ID`',
    next(cur) {
      const live = (cur ? parseReservationsMessage(cur.message) : []).filter((r) => isLiveReservation(r, now));
      released = live.filter(ours);
      if (released.length === 0) return null;
      const rest = live.filter((r) => !ours(r));
      return formatReservationsMessage(
        rest,
        `release ${released.map((r) => r.pattern).join(' ')}: ${ids.join(', ')} finished`.slice(0, 200),
      );
    },
  });
  return released;
}

/**
 * `tack sync` brings the remote's reservations too, so the pre-commit hook (which never
 * fetches) knows them. Best effort: a sync never fails for them.
 */
export function fetchReservationsQuietly(ctx: OpContext, remote: string): void {
  try {
    fetchLeaseRef(reservationsRepo(ctx), remote, RESERVATIONS_REF, 'the reservations', '');
  } catch {
    // `tack reservations --fetch` says why.
  }
}
