import type { CommitTicketFacts, FieldChangeRow } from '../model/triggerEvent.js';
import type { Repo } from '../git/repo.js';
import type { TicketData } from '../model/ticket.js';
import { allTicketPaths } from '../model/ticketPath.js';
import type { DB } from './indexDb.js';
import { ticketDataOf } from './ticketRows.js';

interface CommitRow {
  sha: string;
  parents: string | null;
  op: string | null;
  subject: string | null;
  author_name: string | null;
  author_email: string | null;
  author_time: string | null;
  seq: number;
}

/** The version of a ticket's file (live or archived) a commit wrote, with where it went. */
function versionAt(db: DB, sha: string, id: string): { blob: string | null; path: string; status: string } | null {
  const rows = db
    .prepare<{
      blob: string | null;
      path: string;
      status: string;
    }>(`SELECT blob, path, status FROM file_versions WHERE commit_sha = ? AND path IN (?, ?, ?, ?)
    ORDER BY blob IS NULL, path DESC`)
    .all(sha, ...allTicketPaths(id));
  const v = rows[0];
  if (!v) return null;
  // Added in one layout and deleted in the other of the same folder: moved (a migration), not new.
  const dir = v.path.split('/')[0];
  const moved = v.status === 'A' && rows.some((r) => r.status === 'D' && r.path.split('/')[0] === dir);
  return moved ? { ...v, status: 'M' } : v;
}

/** The newest version of a ticket's file before commit number `seq`. */
function versionBefore(db: DB, seq: number, id: string): string | null {
  const row = db
    .prepare<{ blob: string }>(`SELECT fv.blob FROM file_versions fv JOIN commits c ON c.sha = fv.commit_sha
    WHERE fv.path IN (?, ?, ?, ?) AND fv.blob IS NOT NULL AND c.seq < ? ORDER BY c.seq DESC LIMIT 1`)
    .get(...allTicketPaths(id), seq);
  return row?.blob ?? null;
}

/**
 * What the indexed commit `sha` did to each ticket it names, from the history tables (the
 * same rows `tack log` reads). Null when the commit is not in the index's history (the
 * ref was reset past it): there is nothing to say about it any more.
 */
export function commitTicketFacts(db: DB, repo: Repo, sha: string, ref: string): CommitTicketFacts[] | null {
  const c = db
    .prepare<CommitRow>(
      'SELECT sha, parents, op, subject, author_name, author_email, author_time, seq FROM commits WHERE sha = ?',
    )
    .get(sha);
  if (!c) return null;
  const tickets = db
    .prepare<{
      ticket: string;
    }>('SELECT ticket FROM commit_tickets WHERE commit_sha = ? ORDER BY ticket')
    .all(sha)
    .map((r) => r.ticket);
  const rowsOf = db.prepare<FieldChangeRow>(
    'SELECT field, old, new FROM history_rows WHERE ticket = ? AND seq = ? ORDER BY n',
  );
  const found = [];
  for (const id of tickets) {
    const rows = rowsOf.all(id, c.seq);
    const v = versionAt(db, sha, id);
    // A trailer that names a ticket the commit did not change (a link's other end): no event.
    if (!v && rows.length === 0) continue;
    found.push({ id, rows, v, before: versionBefore(db, c.seq, id) });
  }
  // Every version the events need, read in one git call (the index keeps no parsed copies).
  const data = ticketDataOf(
    db,
    repo,
    found.flatMap((f) => [f.before, f.v?.blob ?? null]),
  );
  const of = (blob: string | null) => (blob ? (data.get(blob) ?? null) : null);
  const parents = new Map<string, string | null>();
  for (const f of found) {
    const parent = of(f.v?.blob ?? null)?.fields.parent;
    if (typeof parent === 'string' && parent) parents.set(parent, versionBefore(db, c.seq + 1, parent));
  }
  const parentData = ticketDataOf(db, repo, parents.values());
  return found.map(({ id, rows, v, before }) => {
    const after = of(v?.blob ?? null);
    return {
      sha,
      parents: c.parents ? c.parents.split(' ') : [],
      op: c.op,
      subject: c.subject ?? '',
      author: c.author_name ?? '',
      email: c.author_email,
      time: c.author_time ?? '',
      ticket: id,
      rows,
      after,
      before: of(before),
      added: v?.status === 'A' && v.path.startsWith('tickets/') && !rows.some((r) => r.field === 'archived'),
      archived: !!v?.blob && v.path.startsWith('archive/'),
      ref,
      parentAssignee: assigneeOf(parentData, parents, after?.fields.parent),
    };
  });
}

/** Who held the parent when the commit was made (its newest version up to that commit). */
function assigneeOf(
  data: Map<string, TicketData>,
  versions: Map<string, string | null>,
  parent: unknown,
): string | null {
  if (typeof parent !== 'string' || !parent) return null;
  const blob = versions.get(parent);
  const assignee = blob ? data.get(blob)?.fields.assignee : undefined;
  return typeof assignee === 'string' && assignee ? assignee : null;
}
