import { bestSnippet, HIT_CLOSE, HIT_OPEN } from '../model/snippet.js';
import { openDb, type DB } from './indexDb.js';

/**
 * Snippets in time linear in the text of the hits. FTS5's snippet() scores every match
 * against every other match of a row, and highlight() rebuilds its whole answer at each
 * match, so both are quadratic in a row's matches (a 1 MiB ticket took minutes). A short
 * column is highlighted by FTS5 (cheap at that size); a long one is cut into chunks of a few KiB in a scratch FTS5 table with the index's
 * tokenizer: SQLite ranks the chunks (bm25, linear), highlights only the best chunk of
 * each column (bounded), and the best window of words is found in one pass.
 */

const CHUNK = 2048;

/** `text` in pieces of about CHUNK characters, cut at whitespace when there is some. */
function chunks(text: string): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    let end = Math.min(text.length, at + CHUNK);
    if (end < text.length) {
      const space = text.indexOf(' ', end);
      if (space >= 0 && space - end < 256) end = space;
      else if (/[\uDC00-\uDFFF]/.test(text[end])) end++; // never split a surrogate pair
    }
    out.push(text.slice(at, end));
    at = end;
  }
  return out;
}

/** Columns up to this length are highlighted by FTS5 itself: its quadratic cost stays small. */
export const SMALL_COLUMN = 8192;

/** One column of a hit: highlighted by FTS5 when small, else its raw text. */
export interface SnippetColumn {
  marked: string | null;
  raw: string | null;
}

/** The best chunk of a long text, highlighted; null when no chunk matches. */
function bestChunk(db: DB, text: string, anyTermQuery: string): string | null {
  db.exec('DELETE FROM s');
  const insert = db.prepare('INSERT INTO s(txt) VALUES (?)');
  db.exec('BEGIN');
  for (const piece of chunks(text)) insert.run(piece);
  db.exec('COMMIT');
  // rank is bm25: FTS5 sorts by it itself, and highlights only the one chunk kept.
  const row = db
    .prepare<{ hl: string }>(
      `SELECT highlight(s, 0, '${HIT_OPEN}', '${HIT_CLOSE}') AS hl FROM s WHERE s MATCH ? ORDER BY rank LIMIT 1`,
    )
    .get(anyTermQuery);
  return row ? row.hl : null;
}

/** For each hit, its columns (title, body, comments) → its snippet. */
export function snippets(hits: ReadonlyArray<readonly SnippetColumn[]>, anyTermQuery: string): string[] {
  let scratch: DB | null = null;
  try {
    return hits.map((cols) => {
      const columns = cols.map((col, c) => {
        if (col.raw === null) return col.marked ?? '';
        if (!scratch) {
          scratch = openDb(':memory:');
          scratch.exec("CREATE VIRTUAL TABLE s USING fts5(txt, tokenize = 'porter unicode61')");
        }
        // A long title without a match still gives words, so a snippet is never empty.
        return bestChunk(scratch, col.raw, anyTermQuery) ?? (c === 0 ? col.raw.slice(0, CHUNK) : '');
      });
      return bestSnippet(columns).replace(/\s+/g, ' ');
    });
  } finally {
    (scratch as DB | null)?.close();
  }
}
