import { TackError } from './errors.js';

/**
 * Comments live at the end of the ticket file, each behind an HTML-comment marker that
 * carries its id, author and time (invisible on GitHub), followed by a visible header
 * line and the text. Append-only and addressable by id, so merges can union them.
 *
 *     ## Comments
 *
 *     <!-- comment id="c-7k2f9a" author="alice" created="2026-11-21T10:02:11Z" -->
 *     **alice** · 2026-11-21 10:02 UTC
 *
 *     Reproduced on main
 */
export interface Comment {
  id: string;
  author: string;
  created: string;
  text: string;
}

// `\r?`: files saved with CRLF line ends (Windows editors) parse the same.
const MARKER = /^<!-- comment id="([^"]+)" author="([^"]*)" created="([^"]+)" -->[ \t]*\r?$/;
const HEADING = /^## Comments[ \t]*\r?$/;
const VISIBLE_HEADER = /^\*\*[^\n]*\*\* · [^\n]* UTC[ \t]*\r?$/;

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/[\r\n\u2028\u2029]/g, ' ');
}
function unescapeAttr(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/**
 * Split the text after the front matter into the description and its comments.
 * `firstLine` is the file line `rest` starts at, so errors name the right line.
 */
export function parseComments(rest: string, path: string, firstLine = 1): { body: string; comments: Comment[] } {
  const lines = rest.split('\n');
  const first = lines.findIndex((l) => MARKER.test(l));
  if (first < 0) return { body: rest, comments: [] };
  const bodyLines = lines.slice(0, first);
  while (bodyLines.length > 0 && bodyLines[bodyLines.length - 1].trim() === '') bodyLines.pop();
  if (bodyLines.length > 0 && HEADING.test(bodyLines[bodyLines.length - 1])) bodyLines.pop();
  while (bodyLines.length > 0 && bodyLines[bodyLines.length - 1].trim() === '') bodyLines.pop();
  const comments: Comment[] = [];
  let current: { c: Comment; lines: string[] } | null = null;
  const seen = new Set<string>();
  for (let i = first; i < lines.length; i++) {
    const m = MARKER.exec(lines[i]);
    if (m) {
      if (current) comments.push(finish(current));
      if (seen.has(m[1])) {
        const line = firstLine + i;
        throw new TackError('parse_error', `${path}:${line}: comment id "${m[1]}" appears twice`, { path, line, problem: `comment id "${m[1]}" appears twice` });
      }
      seen.add(m[1]);
      current = { c: { id: m[1], author: unescapeAttr(m[2]), created: m[3], text: '' }, lines: [] };
    } else if (current) {
      current.lines.push(lines[i]);
    }
  }
  if (current) comments.push(finish(current));
  const body = bodyLines.length > 0 ? bodyLines.join('\n') + '\n' : '';
  return { body, comments };
}

function finish(entry: { c: Comment; lines: string[] }): Comment {
  const lines = entry.lines;
  let start = 0;
  if (lines.length > 0 && VISIBLE_HEADER.test(lines[0])) start = 1;
  return { ...entry.c, text: lines.slice(start).join('\n').trim() };
}

function visibleTime(iso: string): string {
  return iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
}

export function formatComment(c: Comment): string {
  const marker = `<!-- comment id="${escapeAttr(c.id)}" author="${escapeAttr(c.author)}" created="${c.created}" -->`;
  return `${marker}\n**${c.author || 'unknown'}** · ${visibleTime(c.created)}\n\n${c.text.trim()}\n`;
}

export function serializeComments(body: string, comments: readonly Comment[]): string {
  const head = body.trimEnd();
  const parts = comments.map(formatComment).join('\n');
  return `${head}${head ? '\n\n' : ''}## Comments\n\n${parts}`;
}
