import { HIT_CLOSE, HIT_OPEN } from '../model/snippet.js';
import type { DB } from './indexDb.js';
import { SMALL_COLUMN, snippets } from './searchSnippets.js';
import { getSummary, rowToSummary, schemaOf, windowSql, type TicketSummary } from './queries.js';
import type { Schema } from '../model/schema.js';

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

/** The full-text match, leaving out the tickets already found by an alias (bound after the query). */
function searchWhere(opts: SearchOptions, skip: readonly string[]): string {
  const notIn = skip.length ? `AND t.id NOT IN (${skip.map(() => '?').join(', ')})` : '';
  return `tickets_fts MATCH ? ${filterSql(opts)} ${notIn}`;
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
    .prepare<{ id: string }>(`SELECT DISTINCT t.id AS id FROM tickets t, json_each(t.fields, '$.aliases') a
    WHERE t.fields LIKE '%"aliases"%' AND lower(a.value) = lower(?) ${filterSql(opts)} ORDER BY t.id`)
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
      .prepare<{ n: number }>(
        `SELECT count(*) AS n FROM tickets_fts JOIN tickets t ON t.rowid = tickets_fts.rowid WHERE ${searchWhere(opts, aliased)}`,
      )
      .get(q, ...aliased)!.n
  );
}

const FTS_COLUMNS = ['title', 'body', 'comments'];

/** Each column highlighted when short (CASE evaluates only its branch), else its raw text. */
function columnSnippetSql(): string {
  return FTS_COLUMNS.map((col, c) => {
    const short = `length(tickets_fts.${col}) <= ${SMALL_COLUMN}`;
    return `CASE WHEN ${short} THEN highlight(tickets_fts, ${c}, '${HIT_OPEN}', '${HIT_CLOSE}') END AS hl_${c},
      CASE WHEN ${short} THEN NULL ELSE tickets_fts.${col} END AS raw_${c}`;
  }).join(',\n      ');
}

/**
 * Ranked full-text search over titles (weighted most), bodies and comments; a ticket whose
 * alias is the whole text comes first.
 */
export function searchTickets(db: DB, text: string, opts: SearchOptions = {}): SearchHit[] {
  const q = ftsQuery(text);
  if (!q) return [];
  const schema = schemaOf(db);
  const aliased = aliasIds(db, text, opts);
  const offset = opts.offset ?? 0;
  const first = aliased.slice(offset, opts.limit ? offset + opts.limit : undefined);
  const limit = opts.limit ? opts.limit - first.length : undefined;
  const fts =
    limit === 0
      ? []
      : ftsHits(db, schema, q, aliased, { ...opts, limit, offset: Math.max(0, offset - aliased.length) });
  const top = fts[0]?.score ?? 0;
  const byAlias = first.flatMap((id) => {
    const t = getSummary(db, id);
    return t ? [{ ...t, snippet: `alias [${text.trim()}]`, score: top + 1 }] : [];
  });
  return [...byAlias, ...fts];
}

function ftsHits(db: DB, schema: Schema, q: string, skip: readonly string[], opts: SearchOptions): SearchHit[] {
  const custom = schema.fields.map((f) => `, t."${f.name}"`).join('');
  const sql = `SELECT t.id, t.short_id, t.title, t.type, t.status, t.category, t.priority, t.assignee, t.parent, t.project,
      t.created, t.updated, t.resolution${custom},
      (SELECT json_group_array(label) FROM labels WHERE ticket = t.id) AS labels_json,
      ${columnSnippetSql()},
      bm25(tickets_fts, 10.0, 3.0, 1.0) AS score
    FROM tickets_fts JOIN tickets t ON t.rowid = tickets_fts.rowid
    WHERE ${searchWhere(opts, skip)}
    ORDER BY score ${windowSql(opts.limit, opts.offset)}`;
  const rows = db.prepare<Record<string, unknown>>(sql).all(q, ...skip);
  // FTS5's snippet() is quadratic in a row's matches: snippets are made apart, from any term.
  const texts = rows.map((r) =>
    FTS_COLUMNS.map((_, c) => ({ marked: r[`hl_${c}`] as string | null, raw: r[`raw_${c}`] as string | null })),
  );
  const shown = snippets(texts, q.replace(/\s+(?=")/g, ' OR '));
  return rows.map((r, i) => ({ ...rowToSummary(schema, r), snippet: shown[i], score: -(r.score as number) }));
}
