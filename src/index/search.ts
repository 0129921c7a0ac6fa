import type { DB } from './indexDb.js';
import { snippets } from './searchSnippets.js';
import { getSummary, rowToSummary, schemaOf, windowSql, type TicketSummary } from './queries.js';
import { rowsOf } from './rowQuery.js';
import type { Schema } from '../model/schema.js';
import { batches } from '../model/batches.js';
import { leanWhileBuilding } from './leanBuild.js';

export interface SearchHit extends TicketSummary {
  snippet: string;
  score: number;
}

/**
 * Turn what a person types into an FTS5 query: every word must match (porter-stemmed),
 * the last one as a prefix; quoted phrases stay phrases. No FTS syntax leaks through.
 */
export function ftsQuery(text: string): string {
  const parts: string[] = [];
  const re = /"([^"]+)"|(\S+)/g;
  for (const m of text.matchAll(re)) {
    const raw = (m[1] ?? m[2]).replace(/"/g, '').trim();
    const words = raw.split(/[^\p{L}\p{N}_]+/u).filter(Boolean);
    if (words.length === 0) continue;
    parts.push(m[1] ? `"${words.join(' ')}"` : words.map((w) => `"${w}"`).join(' '));
  }
  if (parts.length && !text.trimEnd().endsWith('"')) parts[parts.length - 1] += '*';
  return parts.join(' ');
}

export interface SearchOptions {
  /** At most this many (none: every hit). */
  limit?: number;
  offset?: number;
  /** Only open work (search covers closed tickets too by default). */
  open?: boolean;
  /** Include archived tickets (left out by default). */
  archived?: boolean;
}

function filterSql(opts: SearchOptions): string {
  return `${opts.archived ? '' : 'AND t.archived = 0'} ${opts.open ? "AND coalesce(t.category, '') NOT IN ('completed', 'canceled')" : ''}`;
}

/**
 * The full-text match, leaving out archived tickets (unless asked for), closed ones (with
 * `open`) and those already found by an alias (bound after the query). Left out by rowid
 * sets SQLite builds once from small indexes (tickets_open, the id key): a common word
 * matches tens of thousands of tickets at 100,000, and joining each one's row read most of
 * the tickets table (bench/README.md).
 */
function searchWhere(opts: SearchOptions, skip: readonly string[]): string {
  const out = ['tickets_fts MATCH ?'];
  const left: string[] = [];
  if (!opts.archived) left.push('archived <> 0');
  if (opts.open) left.push("coalesce(category, '') IN ('completed', 'canceled')");
  if (left.length) out.push(`tickets_fts.rowid NOT IN (SELECT rowid FROM tickets WHERE ${left.join(' OR ')})`);
  if (skip.length)
    out.push(`tickets_fts.rowid NOT IN (SELECT rowid FROM tickets WHERE id IN (${skip.map(() => '?').join(', ')}))`);
  return out.join(' AND ');
}

/**
 * Tickets that list the whole search text as an alias (an id from another tracker kept by
 * `tack import`, such as `bd-o78`): the words of an alias are not in the full-text index,
 * and whoever types one means that ticket. Case-insensitive, exact.
 */
function aliasIds(db: DB, text: string, opts: SearchOptions): string[] {
  const name = text.trim().replace(/^"|"$/g, '');
  if (!name || /\s/.test(name)) return [];
  const rows = db
    .prepare<{ id: string }>(`SELECT t.id AS id FROM aliases a JOIN tickets t ON t.id = a.ticket
    WHERE a.alias = lower(?) ${filterSql(opts)} ORDER BY t.id`)
    .all(name);
  return rows.map((r) => r.id);
}

/** How many tickets `searchTickets` would find without a limit. */
export function countSearch(db: DB, text: string, opts: SearchOptions = {}): number {
  const q = ftsQuery(text);
  if (!q) return 0;
  const aliased = aliasIds(db, text, opts);
  return (
    aliased.length +
    db
      .prepare<{ n: number }>(`SELECT count(*) AS n FROM tickets_fts WHERE ${searchWhere(opts, aliased)}`)
      .get(q, ...aliased)!.n
  );
}

/**
 * Ranked full-text search over titles (weighted most), bodies and comments; a ticket whose
 * alias is the whole text comes first.
 */
export function searchTickets(db: DB, text: string, opts: SearchOptions = {}): SearchHit[] {
  return [...eachSearchHit(db, text, opts)];
}

/** searchTickets' answer read as it is used: a common word's 100,000 hits are never held. */
export function* eachSearchHit(db: DB, text: string, opts: SearchOptions = {}): Generator<SearchHit> {
  const q = ftsQuery(text);
  if (!q) return;
  const schema = schemaOf(db);
  const aliased = aliasIds(db, text, opts);
  const offset = opts.offset ?? 0;
  const first = aliased.slice(offset, opts.limit ? offset + opts.limit : undefined);
  const limit = opts.limit ? opts.limit - first.length : undefined;
  // Every hit asked for may be most of the index: mapped, each page read would count in the process's memory.
  const restore = opts.limit === undefined ? leanWhileBuilding(db) : undefined;
  try {
    const fts =
      limit === 0
        ? undefined
        : ftsHits(db, schema, q, aliased, { ...opts, limit, offset: Math.max(0, offset - aliased.length) });
    // An alias outranks the best match: that needs the first batch of matches read.
    const head = fts?.next();
    const firstHits = head && !head.done ? head.value : [];
    const top = firstHits[0]?.score ?? 0;
    for (const id of first) {
      const t = getSummary(db, id);
      if (t) yield { ...t, snippet: `alias [${text.trim()}]`, score: top + 1 };
    }
    yield* firstHits;
    if (fts) for (const hits of fts) yield* hits;
  } finally {
    restore?.();
  }
}

/** Hits whose snippets are made together (one scratch index each time). */
const SNIPPET_BATCH = 200;

/**
 * The hits, a batch at a time, in two steps: the ranking reads only the full-text index (its
 * rowids and scores, read as they are used when every hit is asked for), and the rows and
 * texts of a batch alone are read after (ticket_text is exactly what was indexed).
 */
function* ftsHits(
  db: DB,
  schema: Schema,
  q: string,
  skip: readonly string[],
  opts: SearchOptions,
): Generator<SearchHit[]> {
  const ranked = rowsOf(
    db,
    {
      sql: `SELECT tickets_fts.rowid AS rid, bm25(tickets_fts, 10.0, 3.0, 1.0) AS score FROM tickets_fts
      WHERE ${searchWhere(opts, skip)} ORDER BY score ${windowSql(opts.limit, opts.offset)}`,
      params: [q, ...skip],
      map: (r) => ({ rid: Number(r.rid), score: Number(r.score) }),
    },
    opts.limit,
  );
  const custom = schema.fields.map((f) => `, t."${f.name}"`).join('');
  const row = db.prepare<Record<string, unknown>>(
    `SELECT t.id, t.short_id, t.title, t.type, t.status, t.category, t.priority, t.assignee, t.parent, t.project,
      t.created, t.updated, t.resolution${custom},
      (SELECT json_group_array(label) FROM labels WHERE ticket = t.id) AS labels_json,
      x.title AS text_0, x.body AS text_1, x.comments AS text_2
    FROM tickets t JOIN ticket_text x ON x.rid = t.rowid WHERE t.rowid = ?`,
  );
  for (const batch of batches(ranked, SNIPPET_BATCH)) {
    const hits = batch.flatMap((r) => {
      const found = row.get(r.rid);
      return found ? [{ row: found, score: r.score }] : [];
    });
    // FTS5's snippet() is quadratic in a row's matches: snippets are made apart, from any term.
    const texts = hits.map(({ row: r }) => [0, 1, 2].map((c) => (r[`text_${c}`] as string | null) ?? ''));
    const shown = snippets(texts, q.replace(/\s+(?=")/g, ' OR '));
    yield hits.map(({ row: r, score }, i) => ({ ...rowToSummary(schema, r), snippet: shown[i], score: -score }));
  }
}
