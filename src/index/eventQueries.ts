import { ticketPaths } from '../model/ticketPath.js';
import type { Repo } from '../git/repo.js';
import { idFromTicketPath } from '../store/store.js';
import { diffTicketData } from './history.js';
import type { DB } from './indexDb.js';
import { ticketDataOf } from './ticketRows.js';

/** What one commit did to one ticket, as the live server reports it. */
export interface TicketCommitChange {
  commit: string;
  ticket: string;
  /** 'A' added, 'M' modified, 'D' deleted; null when only a trailer named the ticket. */
  status: string | null;
  op: string | null;
  parents: number;
  author: string;
  time: string;
  fields: string[];
}

/**
 * SQL for `tickets/<shard>/<id>.md` of the id in column `id` (shardOf for the ids Tack
 * writes, [0-9a-z] after the dash; a path of an id outside that is looked up flat only).
 */
function fanoutPathSql(id: string): string {
  return `'tickets/' || substr(${id} || '__', instr(${id}, '-') + 1, 2) || '/' || ${id} || '.md'`;
}

/**
 * Ticket changes of the commits indexed after `since` (a commit sha), oldest first.
 * Null when `since` is no longer in the history (a rewrite, a reset): the caller cannot
 * say what changed commit by commit.
 */
export function ticketChangesSince(db: DB, since: string | null): TicketCommitChange[] | null {
  let seq = 0;
  if (since) {
    const row = db.prepare<{ seq: number }>('SELECT seq FROM commits WHERE sha = ?').get(since);
    if (!row) return null;
    seq = row.seq;
  }
  const rows = db
    .prepare<Record<string, string | null>>(`SELECT c.sha, c.op, c.parents, c.author_name, c.author_time, ct.ticket,
      -- Both layouts; a file moved between them in the commit (a migration) was modified.
      (SELECT CASE WHEN count(*) > 1 THEN 'M' ELSE max(status) END FROM file_versions fv WHERE fv.commit_sha = c.sha
        AND fv.path IN ('tickets/' || ct.ticket || '.md', ${fanoutPathSql('ct.ticket')})) AS status,
      (SELECT json_group_array(field) FROM (SELECT DISTINCT field FROM history h WHERE h.commit_sha = c.sha AND h.ticket = ct.ticket)) AS fields
    FROM commits c JOIN commit_tickets ct ON ct.commit_sha = c.sha WHERE c.seq > ? ORDER BY c.seq, ct.ticket`)
    .all(seq);
  return rows.map((r) => ({
    commit: r.sha!,
    ticket: r.ticket!,
    status: r.status,
    op: r.op,
    parents: r.parents ? r.parents.split(' ').length : 0,
    author: r.author_name ?? '',
    time: r.author_time ?? '',
    fields: JSON.parse(r.fields ?? '[]') as string[],
  }));
}

/** Checked-out ticket files whose content differs from the commit (blob per ticket id). */
export function dirtyTickets(db: DB): Map<string, string> {
  const rows = db
    .prepare<{
      path: string;
      blob: string;
    }>(`SELECT w.path, w.blob FROM worktree_files w LEFT JOIN tree_files t ON t.path = w.path
    WHERE w.path LIKE 'tickets/%' AND t.blob IS NOT w.blob`)
    .all();
  const out = new Map<string, string>();
  for (const r of rows) {
    const id = idFromTicketPath(r.path);
    if (id) out.set(id, r.blob);
  }
  return out;
}

/** The committed blob of a store path (null: not in the commit). */
export function committedBlob(db: DB, path: string): string | null {
  return db.prepare<{ blob: string }>('SELECT blob FROM tree_files WHERE path = ?').get(path)?.blob ?? null;
}

/** Field names that differ between two versions of a ticket file (by blob id). */
export function changedFields(db: DB, repo: Repo, before: string | null, after: string | null): string[] {
  const data = ticketDataOf(db, repo, [before, after]);
  const of = (b: string | null) => (b ? (data.get(b) ?? null) : null);
  return [...new Set(diffTicketData(of(before), of(after)).map((f) => f.field))];
}

/** Checked-out store files that differ from the commit: what a hand-edit committer must commit. */
export function uncommittedFiles(db: DB): { changed: string[]; removed: string[] } {
  const changed = db
    .prepare<{ path: string }>(`SELECT w.path FROM worktree_files w LEFT JOIN tree_files t ON t.path = w.path
    WHERE t.blob IS NOT w.blob ORDER BY w.path`)
    .all()
    .map((r) => r.path);
  const removed = db
    .prepare<{
      path: string;
    }>(`SELECT path FROM tree_files WHERE (path LIKE 'tickets/%.md' OR path LIKE 'docs/%.md' OR path = 'schema.yaml')
    AND path NOT IN (SELECT path FROM worktree_files) ORDER BY path`)
    .all()
    .map((r) => r.path);
  return { changed, removed };
}

/** The committed blob of a live ticket's file, in whichever layout it is. */
export function committedTicketBlob(db: DB, id: string): string | null {
  for (const p of ticketPaths(id)) {
    const blob = committedBlob(db, p);
    if (blob) return blob;
  }
  return null;
}

/** The problem the index recorded for a live ticket's file, in whichever layout it is. */
export function ticketFileProblem(db: DB, id: string): string | null {
  for (const p of ticketPaths(id)) {
    const problem = fileProblem(db, p);
    if (problem) return problem;
  }
  return null;
}

/** The problem the index recorded for a store file, if any. */
export function fileProblem(db: DB, path: string): string | null {
  const row = db
    .prepare<{ line: number; message: string }>('SELECT line, message FROM problems WHERE path = ?')
    .get(path);
  return row ? `${path}:${row.line}: ${row.message}` : null;
}

/**
 * Current version (blob id) of each ticket: what If-Match compares against. Many ids in one
 * statement: a list of 10,000 summaries took ~70 ms of point queries on the server's loop.
 */
export function ticketVersions(db: DB, ids: string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (ids.length > 16) {
    const rows = db
      .prepare<{ id: string; blob: string }>(
        'SELECT id, blob FROM tickets WHERE id IN (SELECT value FROM json_each(?))',
      )
      .all(JSON.stringify(ids));
    for (const r of rows) out.set(r.id, r.blob);
    return out;
  }
  const st = db.prepare<{ blob: string }>('SELECT blob FROM tickets WHERE id = ?');
  for (const id of ids) {
    const r = st.get(id);
    if (r) out.set(id, r.blob);
  }
  return out;
}
