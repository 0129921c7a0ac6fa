import { bestSnippet, HIT_CLOSE, HIT_OPEN } from '../model/snippet.js';
import { openDb, type DB } from './indexDb.js';

/**
 * Snippets in time linear in the text of the hits. FTS5's snippet() scores every match
 * against every other match of a row, and highlight() rebuilds its whole answer at each
 * match, so both are quadratic in a row's matches (a 1 MiB ticket took minutes). The texts
 * of a page of hits go to a scratch FTS5 table with the index's tokenizer: a short column is
 * highlighted whole (cheap at that size); a long one is cut into chunks of a few KiB, SQLite
 * ranks the chunks (bm25, linear), highlights only the best chunk of each column (bounded),
 * and the best window of words is found in one pass. Highlighting the page's texts here, not
 * in the index, keeps the index's part of a search to ranking.
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

/** Columns up to this length are highlighted whole: FTS5's quadratic cost stays small. */
const SMALL_COLUMN = 8192;

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

function scratchDb(): DB {
  const db = openDb(':memory:');
  db.exec("CREATE VIRTUAL TABLE s USING fts5(txt, tokenize = 'porter unicode61')");
  return db;
}

/** The short texts highlighted, by their place in `texts`; a text that does not match is absent. */
function highlightShort(db: DB, texts: ReadonlyArray<string | null>, anyTermQuery: string): Map<number, string> {
  db.exec('DELETE FROM s');
  const insert = db.prepare('INSERT INTO s(rowid, txt) VALUES (?, ?)');
  db.exec('BEGIN');
  texts.forEach((t, i) => {
    if (t) insert.run(i, t);
  });
  db.exec('COMMIT');
  const rows = db
    .prepare<{ i: number; hl: string }>(
      `SELECT rowid AS i, highlight(s, 0, '${HIT_OPEN}', '${HIT_CLOSE}') AS hl FROM s WHERE s MATCH ?`,
    )
    .all(anyTermQuery);
  return new Map(rows.map((r) => [r.i, r.hl]));
}

/** For each hit, its columns' texts (title, body, comments) → its snippet. */
export function snippets(hits: ReadonlyArray<readonly string[]>, anyTermQuery: string): string[] {
  if (hits.length === 0) return [];
  const scratch = scratchDb();
  try {
    const width = Math.max(...hits.map((h) => h.length));
    const short = hits.flatMap((cols) => Array.from({ length: width }, (_, c) => shortText(cols[c])));
    const marked = highlightShort(scratch, short, anyTermQuery);
    return hits.map((cols, h) => {
      const columns = cols.map((text, c) => {
        if (text.length <= SMALL_COLUMN) return marked.get(h * width + c) ?? text;
        // A long title without a match still gives words, so a snippet is never empty.
        return bestChunk(scratch, text, anyTermQuery) ?? (c === 0 ? text.slice(0, CHUNK) : '');
      });
      return bestSnippet(columns).replace(/\s+/g, ' ');
    });
  } finally {
    scratch.close();
  }
}

function shortText(text: string | undefined): string | null {
  return text && text.length <= SMALL_COLUMN ? text : null;
}
