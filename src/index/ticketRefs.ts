import type { z } from 'zod';
import type { ticketRefShape } from '../model/jsonShapes.js';
import type { DB } from './indexDb.js';

/** A ticket named inside another answer (backlinks, commits): enough to show and follow it. */
export type TicketRef = z.infer<ReturnType<typeof ticketRefShape>>;

/**
 * Refs for ids, in the order given. An id that is gone keeps its last title from the
 * history, so a log of deleted work still reads.
 */
export function ticketRefs(db: DB, ids: readonly string[]): TicketRef[] {
  const live = db.prepare<TicketRef>('SELECT id, short_id, title, status, category FROM tickets WHERE id = ?');
  const lastTitle = db.prepare<{
    title: string;
  }>(`SELECT h.new AS title FROM history h JOIN commits c ON c.sha = h.commit_sha
    WHERE h.ticket = ? AND h.field = 'title' AND h.new IS NOT NULL ORDER BY c.seq DESC LIMIT 1`);
  return ids.map((id) => {
    const row = live.get(id);
    if (row) return row;
    const t = lastTitle.get(id);
    return { id, short_id: id, title: t?.title ?? '', status: null, category: null };
  });
}
