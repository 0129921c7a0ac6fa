import type { z } from 'zod';
import type { commitRowShape } from '../model/jsonShapes.js';
import { resolveFromCandidates } from '../model/ids.js';
import { isTackError } from '../model/errors.js';
import { idFromTicketPath } from '../store/store.js';
import type { Provenance } from '../model/provenance.js';
import type { DB } from './indexDb.js';
import { resolveId, startsWithSql } from './ticketIds.js';
import { ticketRefs, type TicketRef } from './ticketRefs.js';

/** One field change of one ticket, with the commit that made it. */
export interface TicketChange {
  commit: string;
  time: string;
  author: string;
  subject: string;
  op: string | null;
  field: string;
  old: string | null;
  new: string | null;
  /** Who made the commit (Tack-Actor and the other provenance trailers); null when it records none. */
  provenance: Provenance | null;
}

/** A commit of the store, as `tack log` lists it. */
export type CommitRow = z.infer<ReturnType<typeof commitRowShape>>;

/** Provenance columns of the commits table `c`, read back with provenanceFrom. */
/** A history row's commit, time and author, read from `commits` (history_rows names the commit by its seq). */
export const HISTORY_COLS = 'c.sha AS "commit", c.author_time AS time, c.author_name AS author';

export const PROVENANCE_COLS =
  'c.actor AS p_actor, c.agent AS p_agent, c.harness AS p_harness, c.model AS p_model, c.session AS p_session';

/** The provenance of a row that selected PROVENANCE_COLS (those columns removed from it). */
export function provenanceFrom(r: Record<string, unknown>): Provenance | null {
  const actor = r.p_actor;
  const out: Provenance | null = actor === 'human' || actor === 'agent' ? { actor } : null;
  for (const k of ['agent', 'harness', 'model', 'session'] as const) {
    const v = r[`p_${k}`];
    delete r[`p_${k}`];
    if (out && typeof v === 'string' && v) out[k] = v;
  }
  delete r.p_actor;
  return out;
}

/**
 * An id from a prefix, also for tickets that no longer exist (their history stays
 * readable after a delete).
 */
export function resolveHistoricId(db: DB, input: string): string {
  try {
    return resolveId(db, input);
  } catch (e) {
    if (!isTackError(e) || e.code !== 'not_found') throw e;
    const needle = input.trim().replace(/^\+/, '');
    const rows = db
      .prepare<{ ticket: string }>(
        `SELECT DISTINCT ticket FROM commit_tickets WHERE ${startsWithSql('ticket', '?')} ORDER BY ticket LIMIT 50`,
      )
      .all(needle, needle);
    if (rows.length === 0) throw e;
    return resolveFromCandidates(
      needle,
      rows.map((r) => r.ticket),
    );
  }
}

/** Every field change of a ticket, oldest first; `limit` keeps the latest ones. */
export function ticketLog(db: DB, id: string, limit?: number): TicketChange[] {
  const rows = db
    .prepare<
      Record<string, unknown>
    >(`SELECT ${HISTORY_COLS}, c.subject, c.op, h.field, h.old, h.new, ${PROVENANCE_COLS}
    FROM history_rows h JOIN commits c ON c.seq = h.seq WHERE h.ticket = ?
    ORDER BY h.seq DESC, h.n DESC ${limit ? `LIMIT ${Math.floor(limit)}` : ''}`)
    .all(id);
  return rows.reverse().map((r) => {
    const provenance = provenanceFrom(r);
    return { ...(r as unknown as Omit<TicketChange, 'provenance'>), provenance };
  });
}

/** A commit's columns, naming at most `perCommit` of its tickets (the first by id; undefined: all). */
function commitCols(perCommit?: number): string {
  const bound = perCommit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(perCommit))}`;
  return `${PROVENANCE_COLS}, c.sha, c.parents, c.author_time AS time, c.author_name AS author, c.author_email AS email, c.subject, c.op,
  (SELECT json_group_array(ticket) FROM (SELECT ticket FROM commit_tickets WHERE commit_sha = c.sha ORDER BY ticket${bound})) AS tickets_json,
  (SELECT count(*) FROM commit_tickets WHERE commit_sha = c.sha) AS ticket_count`;
}

function toCommitRow(r: Record<string, unknown>): CommitRow {
  return {
    sha: r.sha as string,
    parents: ((r.parents as string | null) ?? '').split(' ').filter(Boolean),
    time: r.time as string,
    author: r.author as string,
    email: r.email as string,
    subject: r.subject as string,
    op: (r.op as string | null) ?? null,
    tickets: JSON.parse(r.tickets_json as string) as string[],
    ticket_count: Number(r.ticket_count),
    provenance: provenanceFrom(r),
  };
}

/** The store's commits, newest first, naming at most `perCommit` tickets each (undefined: all). */
export function commitLog(db: DB, limit: number, perCommit?: number): CommitRow[] {
  return db
    .prepare<Record<string, unknown>>(`SELECT ${commitCols(perCommit)} FROM commits c ORDER BY c.seq DESC LIMIT ?`)
    .all(limit)
    .map(toCommitRow);
}

export interface RecentFilter {
  limit: number;
  /** Case-insensitive part of the author's name or email. */
  author?: string;
  /** ISO time: only commits authored at or after it. */
  since?: string;
  /** `human`, `agent`, or part of an agent's name or harness (case-insensitive). */
  actor?: string;
  /** At most this many tickets listed per commit, the first by id (undefined: all). */
  ticketsPerCommit?: number;
}

export interface RecentTicket extends TicketRef {
  /** Fields the commit changed in this ticket ("created" for a new ticket). */
  fields: string[];
}

export interface RecentCommit extends Omit<CommitRow, 'tickets'> {
  /** The first of the commit's tickets, by id (RecentFilter.ticketsPerCommit). */
  tickets: RecentTicket[];
  /** Docs under docs/ that the commit wrote or deleted. */
  docs: string[];
}

function likePattern(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** What changed lately and by whom: commits newest first, each with the tickets and fields it touched. */
export function recentActivity(db: DB, f: RecentFilter): RecentCommit[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.author) {
    where.push("(c.author_name LIKE ? ESCAPE '\\' OR c.author_email LIKE ? ESCAPE '\\')");
    params.push(likePattern(f.author), likePattern(f.author));
  }
  if (f.since) {
    where.push('julianday(c.author_time) >= julianday(?)');
    params.push(f.since);
  }
  if (f.actor === 'human' || f.actor === 'agent') {
    where.push('c.actor = ?');
    params.push(f.actor);
  } else if (f.actor) {
    where.push("(c.agent LIKE ? ESCAPE '\\' OR c.harness LIKE ? ESCAPE '\\')");
    params.push(likePattern(f.actor), likePattern(f.actor));
  }
  // Each commit names its first tickets only, and their fields alone are read: a rename of
  // 14,319 tickets read every one's fields to show 20 (`recent` at 100,000: 183 MiB).
  const rows = db
    .prepare<
      Record<string, unknown>
    >(`SELECT ${commitCols(f.ticketsPerCommit)} FROM commits c ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY c.seq DESC LIMIT ?`)
    .all(...params, f.limit)
    .map(toCommitRow);
  // Through the commit's tickets: history has no index on commit_sha (it would repeat the sha per field).
  const fieldsOf = db.prepare<{
    ticket: string;
    field: string;
  }>(`SELECT h.ticket, h.field FROM commits c JOIN commit_ticket_rows ct ON ct.seq = c.seq
    JOIN history_rows h ON h.ticket = ct.ticket AND h.seq = c.seq
    WHERE c.sha = ? AND ct.ticket IN (SELECT value FROM json_each(?)) ORDER BY h.ticket, h.n`);
  const docsOf = db.prepare<{ path: string }>(
    "SELECT path FROM file_versions WHERE commit_sha = ? AND path GLOB 'docs/*.md' ORDER BY path",
  );
  const added = db.prepare<{ path: string; status: string }>(
    "SELECT path, status FROM file_versions WHERE commit_sha = ? AND status IN ('A', 'D') AND path GLOB 'tickets/*.md'",
  );
  return rows.map((c) => {
    // A commit's tickets are those whose files it changed (and its Tack-Ticket trailers): an
    // added or deleted ticket file is among them.
    const shown = new Set(c.tickets);
    const fields = new Map<string, string[]>();
    // A new ticket would list every field it has; "created" says it better.
    for (const v of added.iterate(c.sha)) {
      const id = idFromTicketPath(v.path);
      if (!id || !shown.has(id)) continue;
      const was = fields.get(id)?.[0];
      // Added at one path and deleted at another: moved between layouts, neither created nor deleted.
      if (was && was !== (v.status === 'A' ? 'created' : 'deleted')) fields.delete(id);
      else fields.set(id, [v.status === 'A' ? 'created' : 'deleted']);
    }
    for (const h of fieldsOf.iterate(c.sha, JSON.stringify(c.tickets))) {
      const list = fields.get(h.ticket) ?? [];
      fields.set(h.ticket, list);
      if (list[0] !== 'created' && list[0] !== 'deleted' && !list.includes(h.field)) list.push(h.field);
    }
    const tickets = ticketRefs(db, c.tickets).map((t) => ({ ...t, fields: fields.get(t.id) ?? [] }));
    const docs = docsOf.all(c.sha).map((d) => d.path);
    return { ...c, tickets, docs };
  });
}

/** Tickets with edits on disk that no commit holds yet (inline mode, mounted store). */
export function uncommittedTickets(db: DB): TicketRef[] {
  return db
    .prepare<TicketRef>(
      'SELECT id, short_id, title, status, category FROM tickets WHERE dirty = 1 ORDER BY updated DESC, id',
    )
    .all();
}

/** When a commit of the store was made (committer time), if the index knows it. */
export function commitTime(db: DB, sha: string): string | null {
  const row = db.prepare<{ t: string }>('SELECT committer_time AS t FROM commits WHERE sha = ?').get(sha);
  return row ? row.t : null;
}
