/**
 * Search snippets in time linear in the text: SQLite's FTS5 snippet() scores every
 * window around every match against every other match, so a ticket with many matches
 * took minutes. Here SQLite's highlight() marks the matches (one pass) and the best window
 * is found with one sliding pass.
 */

/** Marks around a match in highlight() output: private-use characters, absent from prose. */
export const HIT_OPEN = '\uE000';
export const HIT_CLOSE = '\uE001';

interface Tok {
  start: number;
  end: number;
  /** Which highlighted span the token is in (-1: none). */
  span: number;
  key: string;
}

/** Words of highlighted text, each with the span of matches it belongs to. */
function tokens(marked: string): Tok[] {
  const out: Tok[] = [];
  let span = -1;
  let spans = 0;
  for (const m of marked.matchAll(/[\uE000\uE001]|[\p{L}\p{N}]+/gu)) {
    if (m[0] === HIT_OPEN) span = spans++;
    else if (m[0] === HIT_CLOSE) span = -1;
    else out.push({ start: m.index, end: m.index + m[0].length, span, key: span >= 0 ? m[0].toLowerCase() : '' });
  }
  return out;
}

interface Window {
  from: number;
  score: number;
}

/** The window of `size` words with the most distinct matched words, then the most matches. */
function bestWindow(toks: readonly Tok[], size: number): Window {
  const counts = new Map<string, number>();
  let hits = 0;
  let best: Window = { from: 0, score: -1 };
  const add = (t: Tok, d: number) => {
    if (t.span < 0) return;
    hits += d;
    const n = (counts.get(t.key) ?? 0) + d;
    if (n === 0) counts.delete(t.key);
    else counts.set(t.key, n);
  };
  for (let i = 0; i < toks.length; i++) {
    add(toks[i], 1);
    if (i >= size) add(toks[i - size], -1);
    const score = counts.size * 1_000_000 + hits;
    if (score > best.score) best = { from: Math.max(0, i - size + 1), score };
  }
  return centred(toks, best, size);
}

/** The same matches with the words around them: the window moved so they sit in its middle. */
function centred(toks: readonly Tok[], w: Window, size: number): Window {
  const end = Math.min(toks.length, w.from + size);
  let first = -1;
  let last = -1;
  for (let i = w.from; i < end; i++) {
    if (toks[i].span < 0) continue;
    if (first < 0) first = i;
    last = i;
  }
  if (first < 0) return w;
  const from = first - Math.floor((size - (last - first + 1)) / 2);
  return { from: Math.max(0, Math.min(from, toks.length - size)), score: w.score };
}

function render(marked: string, toks: readonly Tok[], from: number, size: number, ellipsis: string): string {
  const to = Math.min(toks.length, from + size);
  const clean = (s: string) => s.replace(/[\uE000\uE001]/g, '');
  let out = from > 0 ? ellipsis : '';
  for (let i = from; i < to; i++) {
    const t = toks[i];
    if (i > from) out += clean(marked.slice(toks[i - 1].end, t.start));
    const word = marked.slice(t.start, t.end);
    const opens = t.span >= 0 && (i === from || toks[i - 1].span !== t.span);
    const closes = t.span >= 0 && (i === to - 1 || toks[i + 1].span !== t.span);
    out += `${opens ? '[' : ''}${word}${closes ? ']' : ''}`;
  }
  return to < toks.length ? out + ellipsis : out;
}

/**
 * The best snippet of `size` words over several highlighted columns (title, body,
 * comments: earlier columns win ties), matches in [brackets].
 */
export function bestSnippet(columns: readonly string[], size = 12, ellipsis = '…'): string {
  let chosen: { marked: string; toks: Tok[]; w: Window } | null = null;
  for (const marked of columns) {
    if (!marked) continue;
    const toks = tokens(marked);
    if (toks.length === 0) continue;
    const w = bestWindow(toks, size);
    if (!chosen || w.score > chosen.w.score) chosen = { marked, toks, w };
  }
  return chosen ? render(chosen.marked, chosen.toks, chosen.w.from, size, ellipsis) : '';
}
