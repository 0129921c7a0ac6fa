import { isLiveReservation, patternCovers, type Reservation } from '../model/reservation.js';
import { readReservations } from '../git/reservations.js';
import type { Repo } from '../git/repo.js';

/** Reading reservations for `reservations`, the pre-commit check, `brief` and `prime`. */

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

/** Each path that a reservation of someone other than `me` covers (the first such reservation). */
export function othersCovering(list: readonly Reservation[], paths: readonly string[], me: string): PathConflict[] {
  const others = list.filter((r) => r.owner !== me);
  if (others.length === 0) return [];
  const out: PathConflict[] = [];
  for (const path of paths) {
    const r = others.find((o) => patternCovers(o.pattern, path));
    if (r) out.push({ path, reservation: r });
  }
  return out;
}

/**
 * Reservations that touch a ticket's area: made for it, or covering a path the ticket
 * names (its links and the paths in its text).
 */
export function touchingTicket(list: readonly Reservation[], ticket: string, paths: readonly string[]): Reservation[] {
  return list.filter((r) => r.ticket === ticket || paths.some((p) => patternCovers(r.pattern, p)));
}
