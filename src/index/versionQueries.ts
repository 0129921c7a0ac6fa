import { resolveFromCandidates } from '../model/ids.js';
import { allTicketPaths, TICKET_DIRS, ticketIdFromPath, ticketPathPrefixes } from '../model/ticketPath.js';
import type { DB } from './indexDb.js';
import { startsWithSql } from './ticketIds.js';

/*
 * Past versions of ticket files, from the history tables (file_versions): how `tack
 * restore` finds deleted tickets and the last version of each.
 */

/** The id (full, from any unique prefix) of a ticket the index knows now or any commit ever held. */
export function resolveAnyId(db: DB, input: string): string {
  const needle = input.trim().replace(/^\+/, '');
  const live = db
    .prepare<{ id: string }>(`SELECT id FROM tickets WHERE ${startsWithSql('id', '?')} LIMIT 50`)
    .all(needle, needle);
  const ids = new Set(live.map((r) => r.id));
  const scan = db.prepare<{ path: string }>(
    `SELECT DISTINCT path FROM file_versions WHERE ${startsWithSql('path', '?')} LIMIT 50`,
  );
  for (const prefix of TICKET_DIRS.flatMap((dir) => ticketPathPrefixes(needle, dir))) {
    for (const r of scan.all(prefix, prefix)) {
      const id = ticketIdFromPath(r.path)?.id;
      if (id) ids.add(id);
    }
  }
  return resolveFromCandidates(needle, [...ids].sort());
}

export interface FileVersion {
  commit: string;
  path: string;
  blob: string;
}

/** The newest committed version of a ticket's file (in tickets/ or archive/), deleted or not. */
export function lastVersion(db: DB, id: string): FileVersion | null {
  const row = db
    .prepare<FileVersion>(`SELECT fv.commit_sha AS "commit", fv.path, fv.blob FROM file_versions fv JOIN commits c ON c.sha = fv.commit_sha
    WHERE fv.path IN (?, ?, ?, ?) AND fv.blob IS NOT NULL ORDER BY c.seq DESC LIMIT 1`)
    .get(...allTicketPaths(id));
  return row ?? null;
}

/** Whether the ticket is indexed now, and where: 'live', 'archived' or null (deleted / never). */
export function ticketPlace(db: DB, id: string): 'live' | 'archived' | null {
  const row = db.prepare<{ archived: number }>('SELECT archived FROM tickets WHERE id = ?').get(id);
  return row ? (row.archived ? 'archived' : 'live') : null;
}
