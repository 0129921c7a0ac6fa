import type { z } from 'zod';
import type { noteEntryShape } from './workShapes.js';
/**
 * Entries of a Tack git note (`refs/notes/tack`): one line each, so `git log --notes=tack`
 * shows them as they are and `git notes merge -s cat_sort_uniq` (a union of lines, sorted)
 * merges two clones' notes on the same commit without conflict. A line starts with its
 * time, so sorted is chronological:
 *
 *   2026-11-21T10:02:11Z by=alice review=approve ticket=tk-3fa9k2lm | Looks good
 *   2026-11-21T10:05:00Z by="Bob Smith" ci=passed
 *
 * Values with spaces, quotes, `|` or `=` are JSON strings; the free text after ` | ` keeps
 * backslashes and line breaks as `\\` and `\n`. Lines in any other shape are not ours and
 * are skipped when reading.
 */

export type Verdict = 'approve' | 'reject';

export type NoteEntry = z.infer<ReturnType<typeof noteEntryShape>>;

const TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)(?= |$)/;
const KEY = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const BARE = /^[^\s"|=\\]+$/;

function quote(v: string): string {
  return BARE.test(v) ? v : JSON.stringify(v);
}

export function isMetaKey(k: string): boolean {
  return KEY.test(k) && !['by', 'review', 'ticket'].includes(k);
}

export function formatNoteLine(e: NoteEntry): string {
  const parts = [e.time, `by=${quote(e.author)}`];
  if (e.review) parts.push(`review=${e.review}`);
  if (e.ticket) parts.push(`ticket=${quote(e.ticket)}`);
  for (const [k, v] of Object.entries(e.meta)) parts.push(`${k}=${quote(v)}`);
  const text = e.text.replace(/\\/g, '\\\\').replace(/\r?\n/g, '\\n');
  return text ? `${parts.join(' ')} | ${text}` : parts.join(' ');
}

/** A JSON string starting at s[i] (a quote): its value and where it ends, or null. */
function readQuoted(s: string, i: number): { value: string; end: number } | null {
  let j = i + 1;
  while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
  if (j >= s.length) return null;
  try {
    return { value: JSON.parse(s.slice(i, j + 1)) as string, end: j + 1 };
  } catch {
    return null;
  }
}

function unescapeText(s: string): string {
  return s.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

/** One line back to an entry; null when the line is not in Tack's shape. */
export function parseNoteLine(line: string): NoteEntry | null {
  const t = TIME.exec(line);
  if (!t) return null;
  const fields: Record<string, string> = {};
  let text = '';
  let i = t[1].length;
  for (;;) {
    while (line[i] === ' ') i++;
    if (i >= line.length) break;
    if (line[i] === '|' && (line[i + 1] === ' ' || i + 1 === line.length)) {
      text = unescapeText(line.slice(i + 2));
      break;
    }
    const eq = line.indexOf('=', i);
    if (eq < 0 || !KEY.test(line.slice(i, eq))) return null;
    const key = line.slice(i, eq);
    if (line[eq + 1] === '"') {
      const q = readQuoted(line, eq + 1);
      if (!q) return null;
      fields[key] = q.value;
      i = q.end;
    } else {
      const end = line.indexOf(' ', eq);
      fields[key] = line.slice(eq + 1, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
    }
  }
  const { by, review, ticket, ...meta } = fields;
  return {
    time: t[1],
    author: by ?? '',
    review: review === 'approve' || review === 'reject' ? review : null,
    ticket: ticket ?? null,
    meta,
    text,
  };
}

export function parseNoteText(text: string): NoteEntry[] {
  return text
    .split('\n')
    .map(parseNoteLine)
    .filter((e): e is NoteEntry => e !== null);
}

/** The union of the lines of notes, sorted, each once: what `cat_sort_uniq` makes of them. */
export function unionNoteText(...texts: string[]): string {
  const lines = new Set(texts.flatMap((t) => t.split('\n')).filter((l) => l !== ''));
  const sorted = [...lines].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted.length ? `${sorted.join('\n')}\n` : '';
}
