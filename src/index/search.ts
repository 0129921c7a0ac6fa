import { HIT_CLOSE, HIT_OPEN } from '../model/snippet.js';
import type { DB } from './indexDb.js';
import { SMALL_COLUMN, snippets } from './searchSnippets.js';
import { rowToSummary, schemaOf, windowSql, type TicketSummary } from './queries.js';

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

function searchWhere(opts: SearchOptions): string {
  return `tickets_fts MATCH ? ${opts.archived ? '' : 'AND t.archived = 0'} ${opts.open ? "AND coalesce(t.category, '') NOT IN ('completed', 'canceled')" : ''}`;
}

/** How many tickets `searchTickets` would find without a limit. */
export function countSearch(db: DB, text: string, opts: SearchOptions = {}): number {
  const q = ftsQuery(text);
  if (!q) return 0;
  return (
    db
      .prepare(
        `SELECT count(*) AS n FROM tickets_fts JOIN tickets t ON t.rowid = tickets_fts.rowid WHERE ${searchWhere(opts)}`,
      )
      .get(q) as { n: number }
  ).n;
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

/** Ranked full-text search over titles (weighted most), bodies and comments. */
export function searchTickets(db: DB, text: string, opts: SearchOptions = {}): SearchHit[] {
  const q = ftsQuery(text);
  if (!q) return [];
  const schema = schemaOf(db);
  const custom = schema.fields.map((f) => `, t."${f.name}"`).join('');
  const sql = `SELECT t.id, t.short_id, t.title, t.type, t.status, t.category, t.priority, t.assignee, t.parent, t.project,
      t.created, t.updated, t.resolution${custom},
      (SELECT json_group_array(label) FROM labels WHERE ticket = t.id) AS labels_json,
      ${columnSnippetSql()},
      bm25(tickets_fts, 10.0, 3.0, 1.0) AS score
    FROM tickets_fts JOIN tickets t ON t.rowid = tickets_fts.rowid
    WHERE ${searchWhere(opts)}
    ORDER BY score ${windowSql(opts.limit, opts.offset)}`;
  const rows = db.prepare(sql).all(q) as Array<Record<string, unknown>>;
  // FTS5's snippet() is quadratic in a row's matches: snippets are made apart, from any term.
  const texts = rows.map((r) =>
    FTS_COLUMNS.map((_, c) => ({ marked: r[`hl_${c}`] as string | null, raw: r[`raw_${c}`] as string | null })),
  );
  const shown = snippets(texts, q.replace(/\s+(?=")/g, ' OR '));
  return rows.map((r, i) => ({ ...rowToSummary(schema, r), snippet: shown[i], score: -(r.score as number) }));
}
