import type { Ticket } from './api';
import { byCodeUnit } from './ticketOrder';

/**
 * The board's order, as `tack board` prints it: ranked cards (front-matter `rank`) first,
 * lower first; then the unranked ones, most recently updated first.
 */
export function boardOrder(a: Ticket, b: Ticket): number {
  return (a.rank ?? Infinity) - (b.rank ?? Infinity) || byCodeUnit(b.updated, a.updated) || byCodeUnit(a.id, b.id);
}

/**
 * A rank that puts a card before `next` (or last when there is none) in `list` (the column
 * without the moved card, in board order). Fractional, so a move writes one ticket; unranked
 * cards sort after every ranked one, so a card dropped among them lands just above them.
 */
export function rankBefore(list: readonly Ticket[], next: Ticket | undefined): number {
  const ranked = list.filter((t) => t.rank !== undefined);
  const at = next ? list.indexOf(next) : list.length;
  const prev = at > 0 ? list[at - 1] : undefined;
  const lo = prev?.rank;
  const hi = next?.rank;
  if (lo !== undefined && hi !== undefined) return (lo + hi) / 2;
  if (hi !== undefined) return hi - 1;
  const last = ranked.length ? ranked[ranked.length - 1].rank! : undefined;
  return last === undefined ? 0 : last + 1;
}
