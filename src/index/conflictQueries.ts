import { CONFLICTS_FIELD, type StoredConflict } from '../model/merge.js';
import type { DB } from './indexDb.js';

export interface TicketConflicts {
  id: string;
  short_id: string;
  title: string;
  conflicts: StoredConflict[];
}

/** Tickets whose `conflicts` field holds values a merge did not keep. */
export function listConflicts(db: DB, id?: string): TicketConflicts[] {
  const rows = db
    .prepare<{ id: string; short_id: string; title: string; c: string }>(
      `SELECT id, short_id, title, json_extract(fields, '$.${CONFLICTS_FIELD}') AS c FROM tickets
     WHERE json_extract(fields, '$.${CONFLICTS_FIELD}') IS NOT NULL ${id ? 'AND id = ?' : ''} ORDER BY id`,
    )
    .all(...(id ? [id] : []));
  return rows
    .map((r) => {
      const parsed = JSON.parse(r.c) as unknown;
      const list = (Array.isArray(parsed) ? parsed : [parsed]) as StoredConflict[];
      return { id: r.id, short_id: r.short_id, title: r.title, conflicts: list };
    })
    .filter((r) => r.conflicts.length > 0);
}
