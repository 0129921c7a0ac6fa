/**
 * Just enough of SQL's lexical grammar to tell which table an UPDATE targets: words and
 * punctuation outside strings, quoted names and comments, with their paren depth.
 */
export interface SqlToken {
  text: string;
  /** A quoted name ("x", `x`, [x]): never a keyword. */
  quoted: boolean;
  depth: number;
}

export function sqlTokens(sql: string): SqlToken[] {
  const out: SqlToken[] = [];
  let depth = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) i++;
    else if (c === '-' && sql[i + 1] === '-') i = endOf(sql, '\n', i + 2);
    else if (c === '/' && sql[i + 1] === '*') i = endOf(sql, '*/', i + 2);
    else if (c === "'") i = closeQuote(sql, "'", i + 1);
    else if (c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      const end = closeQuote(sql, close, i + 1);
      out.push({
        text: sql
          .slice(i + 1, end - 1)
          .split(close + close)
          .join(close),
        quoted: true,
        depth,
      });
      i = end;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z0-9_$]+/.exec(sql.slice(i))![0];
      out.push({ text: m, quoted: false, depth });
      i += m.length;
    } else {
      if (c === ')') depth--;
      out.push({ text: c, quoted: false, depth });
      if (c === '(') depth++;
      i++;
    }
  }
  return out;
}

function endOf(sql: string, marker: string, from: number): number {
  const j = sql.indexOf(marker, from);
  return j < 0 ? sql.length : j + marker.length;
}

/** Index just past the closing quote; a doubled quote is an escaped one. */
function closeQuote(sql: string, q: string, from: number): number {
  let i = from;
  while (i < sql.length) {
    if (sql[i] === q) {
      if (sql[i + 1] === q && q !== ']') i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

const STATEMENT_WORDS = new Set([
  'select',
  'insert',
  'update',
  'delete',
  'replace',
  'values',
  'create',
  'drop',
  'alter',
  'pragma',
]);

export interface SqlVerb {
  /** The main statement's first keyword, lower-case ("update", "select", …), after any WITH clause. */
  verb: string;
  /** For UPDATE: the target table (lower-case, without "main."); null when it is another schema. */
  table: string | null;
}

export function classifySql(sql: string): SqlVerb {
  const toks = sqlTokens(sql);
  let k = 0;
  if (toks[0] && !toks[0].quoted && toks[0].text.toLowerCase() === 'with') {
    k = toks.findIndex((t, j) => j > 0 && t.depth === 0 && !t.quoted && STATEMENT_WORDS.has(t.text.toLowerCase()));
    if (k < 0) return { verb: 'with', table: null };
  }
  const head = toks[k];
  const verb = head && !head.quoted ? head.text.toLowerCase() : '';
  if (verb !== 'update') return { verb, table: null };
  let j = k + 1;
  if (toks[j] && !toks[j].quoted && toks[j].text.toLowerCase() === 'or') j += 2;
  const first = toks[j];
  if (!first) return { verb, table: null };
  if (toks[j + 1]?.text === '.' && !toks[j + 1].quoted) {
    const table = toks[j + 2];
    return { verb, table: first.text.toLowerCase() === 'main' && table ? table.text.toLowerCase() : null };
  }
  return { verb, table: first.text.toLowerCase() };
}
