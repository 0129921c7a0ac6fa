import type { z } from 'zod';
import type { commentRowShape, historyRowShape, ticketDetailsShape, ticketRefInfoShape } from '../model/jsonShapes.js';
import type { DB } from './indexDb.js';
import { HISTORY_COLS, PROVENANCE_COLS, provenanceFrom } from './historyQueries.js';
import { getSummary, schemaOf } from './queries.js';

export type CommentRow = z.infer<ReturnType<typeof commentRowShape>>;

export type HistoryRow = z.infer<ReturnType<typeof historyRowShape>>;

/** `show`: the summary plus body, comments, relations in both directions, links, history. */
export type TicketDetails = z.infer<ReturnType<typeof ticketDetailsShape>>;

export type TicketRefInfo = z.infer<ReturnType<typeof ticketRefInfoShape>>;

/** One query for the titles a card shows beside its related ids (ids that are not tickets are left out). */
function refInfo(db: DB, ids: string[]): Record<string, TicketRefInfo> {
  const wanted = [...new Set(ids)];
  const out: Record<string, TicketRefInfo> = {};
  for (let i = 0; i < wanted.length; i += 500) {
    const part = wanted.slice(i, i + 500);
    const rows = db
      .prepare<TicketRefInfo & { id: string }>(
        `SELECT id, short_id, title, status, category FROM tickets WHERE id IN (${part.map(() => '?').join(',')})`,
      )
      .all(...part);
    for (const { id, ...info } of rows) out[id] = info;
  }
  return out;
}

/** Front-matter fields of the code links (see ops/commitsScan.ts). */
const CODE_FIELDS = ['commits', 'branches', 'done_at', 'done_branch'];

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
}

function column(db: DB, sql: string, ...params: unknown[]): string[] {
  return db
    .prepare<Record<string, string>>(sql)
    .all(...params)
    .map((r) => Object.values(r)[0]);
}

/**
 * Tickets named per relation, backlinks and history rows shown: anyone can make 20,000
 * tickets children or blockers of one (`show` was 789 KB, its history 1.1 MB); the
 * `*_total` fields count them all (`tack log ID` pages a ticket's history).
 */
export const DETAILS_SHOWN = 50;

export function ticketDetails(db: DB, id: string): TicketDetails | null {
  const summary = getSummary(db, id);
  if (!summary) return null;
  const schema = schemaOf(db);
  const row = db
    .prepare<{
      body: string;
      owner: string | null;
      fields: string;
      dirty: number;
      archived: number;
      path: string;
    }>('SELECT body, owner, fields, dirty, archived, path FROM tickets WHERE id = ?')
    .get(id)!;
  const edges = db
    .prepare<{
      kind: string;
      dst: string;
    }>('SELECT kind, dst FROM edges WHERE src = ? ORDER BY kind, dst')
    .all(id);
  const relations: Record<string, string[]> = {};
  for (const r of schema.relations) {
    relations[r.name] = [];
    relations[r.inverse] = [];
  }
  relations.child = [];
  const relationTotals: Record<string, number> = {};
  for (const e of edges) {
    if (e.kind === 'parent') continue;
    const list = (relations[e.kind] ??= []);
    relationTotals[e.kind] = (relationTotals[e.kind] ?? 0) + 1;
    if (list.length < DETAILS_SHOWN) list.push(e.dst);
  }
  for (const k of Object.keys(relations)) relationTotals[k] ??= 0;
  const fields = JSON.parse(row.fields) as Record<string, unknown>;
  const known = new Set([
    'id',
    'title',
    'type',
    'status',
    'priority',
    'labels',
    'assignee',
    'owner',
    'parent',
    'links',
    'project',
    'created',
    'updated',
    'resolution',
    'aliases',
    'rank',
    ...CODE_FIELDS,
    ...schema.relations.map((r) => r.name),
    ...schema.fields.map((f) => f.name),
  ]);
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (!known.has(k)) extra[k] = v;
  const links = column(db, "SELECT target FROM links WHERE src = ? AND origin = 'field' ORDER BY target", id);
  const backlinks = column(
    db,
    `SELECT DISTINCT src FROM links WHERE target = ? AND src != ? ORDER BY src LIMIT ${DETAILS_SHOWN}`,
    id,
    id,
  );
  const backlinksTotal =
    backlinks.length < DETAILS_SHOWN
      ? backlinks.length
      : db
          .prepare<{ n: number }>('SELECT count(DISTINCT src) AS n FROM links WHERE target = ? AND src != ?')
          .get(id, id)!.n;
  const named = [
    ...(summary.parent ? [summary.parent] : []),
    ...Object.values(relations).flat(),
    ...links,
    ...backlinks,
  ];
  return {
    ...summary,
    owner: row.owner,
    description: row.body,
    comments: db
      .prepare<CommentRow & { edited: string | null }>(
        'SELECT id, author, created, body, edited FROM comments WHERE ticket = ? ORDER BY created, seq',
      )
      .all(id)
      .map(({ edited, ...c }) => (edited === null ? c : { ...c, edited })),
    blocks: relations.blocks ?? [],
    blocked_by: relations.blocked_by ?? [],
    children: relations.child,
    related: relations.related ?? [],
    duplicates: relations.duplicates ?? [],
    duplicated_by: relations.duplicated_by ?? [],
    links,
    backlinks,
    backlinks_total: backlinksTotal,
    tags: column(db, 'SELECT tag FROM tags WHERE ticket = ? ORDER BY tag', id),
    relations,
    relation_totals: relationTotals,
    extra,
    dirty: row.dirty === 1,
    archived: row.archived === 1,
    problems: column(db, 'SELECT message FROM problems WHERE path = ?', row.path),
    commits: strings(fields.commits),
    branches: strings(fields.branches),
    done_at: fields.done_at
      ? { commit: String(fields.done_at), branch: fields.done_branch ? String(fields.done_branch) : null }
      : null,
    refs: refInfo(db, named),
  };
}

/** The latest `limit` changes of a ticket (all without one), oldest first. */
export function ticketHistory(db: DB, id: string, limit?: number): HistoryRow[] {
  return db
    .prepare(`SELECT ${HISTORY_COLS}, h.field, h.old, h.new, ${PROVENANCE_COLS}
    FROM history_rows h JOIN commits c ON c.seq = h.seq
    WHERE h.ticket = ? ORDER BY h.seq DESC, h.n DESC ${limit === undefined ? '' : `LIMIT ${Math.floor(limit)}`}`)
    .all(id)
    .reverse()
    .map((r) => {
      const row = r as Record<string, unknown>;
      const provenance = provenanceFrom(row);
      return { ...(row as unknown as Omit<HistoryRow, 'provenance'>), provenance };
    });
}

/** What `show` gives of a ticket's history: its latest changes and how many in all (none without `wanted`). */
export function shownHistory(db: DB, id: string, wanted: boolean): { history: HistoryRow[]; history_total: number } {
  if (!wanted) return { history: [], history_total: 0 };
  const history = ticketHistory(db, id, DETAILS_SHOWN);
  const total =
    history.length < DETAILS_SHOWN
      ? history.length
      : db.prepare<{ n: number }>('SELECT count(*) AS n FROM history_rows WHERE ticket = ?').get(id)!.n;
  return { history, history_total: total };
}
