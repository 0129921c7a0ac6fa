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
 *
 * An edit rewrites the text in place and adds `edited="TIME"` to the marker; a delete keeps
 * the marker with `deleted="TIME"` and drops the text (a tombstone, see docs/decisions.md),
 * so a merge with a branch that still holds the comment cannot bring it back.
 */
export interface Comment {
  id: string;
  author: string;
  created: string;
  text: string;
  /** When the text was last changed by `comment-edit`. */
  edited?: string;
  /** When `comment-delete` removed it; the text is then empty. */
  deleted?: string;
}

/** Something odd the reader worked around (the file still reads); `line` is a file line. */
export interface ReadWarning {
  line: number;
  message: string;
}

// `\r?`: files saved with CRLF line ends (Windows editors) parse the same.
const MARKER =
  /^<!-- comment id="([^"]+)" author="([^"]*)" created="([^"]+)"(?: edited="([^"]+)")?(?: deleted="([^"]+)")? -->[ \t]*\r?$/;
const HEADING = /^## Comments[ \t]*\r?$/;
// Only ever the line right after a marker, where the writer always puts it.
const VISIBLE_HEADER = /^\*\*[^\n]*\*\* · /;

function escapeAttr(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/[\r\n\u2028\u2029]/g, ' ');
}
function unescapeAttr(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/*
 * Text is data: a description or comment line the reader would take for a marker gets one
 * leading backslash on write, and so does a line that already is such a line behind
 * backslashes, so the reader can take exactly one off and give back the text byte for byte.
 * On GitHub the escaped line shows as the literal text the user wrote.
 */
function markerShaped(line: string): boolean {
  let i = 0;
  while (line.charCodeAt(i) === 92 /* \ */) i++;
  return MARKER.test(i === 0 ? line : line.slice(i));
}

export function escapeText(text: string): string {
  if (!text.includes('<!--')) return text;
  return text
    .split('\n')
    .map((l) => (markerShaped(l) ? `\\${l}` : l))
    .join('\n');
}

export function unescapeLine(line: string): string {
  return line.charCodeAt(0) === 92 && markerShaped(line) ? line.slice(1) : line;
}

export function unescapeText(text: string): string {
  if (!text.includes('<!--')) return text;
  return text.split('\n').map(unescapeLine).join('\n');
}

/** `c-1`, then `c-1-2`, `c-1-3`…: the first id not yet taken. */
function freeId(id: string, seen: ReadonlySet<string>): string {
  let n = 2;
  while (seen.has(`${id}-${n}`)) n++;
  return `${id}-${n}`;
}

/**
 * Split the text after the front matter into the description and its comments.
 * `firstLine` is the file line `rest` starts at, so warnings name the right line.
 * A repeated comment id (a hand edit, a plain-text merge) is read under a fresh id with a
 * warning: one odd comment must not hide its ticket.
 */
export function parseComments(
  rest: string,
  _path: string,
  firstLine = 1,
): { body: string; comments: Comment[]; warnings: ReadWarning[] } {
  const lines = rest.split('\n');
  const first = lines.findIndex((l) => MARKER.test(l));
  if (first < 0) return { body: unescapeText(rest), comments: [], warnings: [] };
  const bodyLines = lines.slice(0, first);
  while (bodyLines.length > 0 && bodyLines[bodyLines.length - 1].trim() === '') bodyLines.pop();
  if (bodyLines.length > 0 && HEADING.test(bodyLines[bodyLines.length - 1])) bodyLines.pop();
  while (bodyLines.length > 0 && bodyLines[bodyLines.length - 1].trim() === '') bodyLines.pop();
  const comments: Comment[] = [];
  const warnings: ReadWarning[] = [];
  let current: { c: Comment; lines: string[] } | null = null;
  const seen = new Set<string>();
  for (let i = first; i < lines.length; i++) {
    const m = MARKER.exec(lines[i]);
    if (m) {
      if (current) comments.push(finish(current));
      let id = unescapeAttr(m[1]);
      if (seen.has(id)) {
        const fresh = freeId(id, seen);
        warnings.push({
          line: firstLine + i,
          message: `comment id "${id}" appears twice; this one is read as "${fresh}"`,
        });
        id = fresh;
      }
      seen.add(id);
      const c: Comment = { id, author: unescapeAttr(m[2]), created: unescapeAttr(m[3]), text: '' };
      if (m[4] !== undefined) c.edited = unescapeAttr(m[4]);
      if (m[5] !== undefined) c.deleted = unescapeAttr(m[5]);
      current = { c, lines: [] };
    } else if (current) {
      current.lines.push(unescapeLine(lines[i]));
    }
  }
  if (current) comments.push(finish(current));
  const body = bodyLines.length > 0 ? `${bodyLines.map(unescapeLine).join('\n')}\n` : '';
  return { body, comments, warnings };
}

function finish(entry: { c: Comment; lines: string[] }): Comment {
  const lines = entry.lines;
  let start = 0;
  if (lines.length > 0 && VISIBLE_HEADER.test(lines[0])) start = 1;
  const text = lines.slice(start).join('\n').trim();
  // A tombstone has no text; anything a hand edit left under it is not the comment's.
  return { ...entry.c, text: entry.c.deleted === undefined ? text : '' };
}

function visibleTime(iso: string): string {
  return iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
}

const oneLine = (s: string): string => s.replace(/[\r\n\u2028\u2029]/g, ' ');

export function formatComment(c: Comment): string {
  const edited = c.edited === undefined ? '' : ` edited="${escapeAttr(c.edited)}"`;
  const deleted = c.deleted === undefined ? '' : ` deleted="${escapeAttr(c.deleted)}"`;
  const marker = `<!-- comment id="${escapeAttr(c.id)}" author="${escapeAttr(c.author)}" created="${escapeAttr(c.created)}"${edited}${deleted} -->`;
  // The visible header is decoration; a line break in it would spill into the text.
  const who = oneLine(c.author || 'unknown');
  const when = oneLine(visibleTime(c.created));
  if (c.deleted !== undefined) return `${marker}\n**${who}** · ${when} · deleted ${oneLine(visibleTime(c.deleted))}\n`;
  const note = c.edited === undefined ? '' : ` · edited ${oneLine(visibleTime(c.edited))}`;
  return `${marker}\n**${who}** · ${when}${note}\n\n${escapeText(c.text.trim())}\n`;
}

/** The comments a reader sees: tombstones of deleted ones left out. */
export function liveComments(comments: readonly Comment[]): Comment[] {
  return comments.filter((c) => c.deleted === undefined);
}

export function serializeComments(body: string, comments: readonly Comment[]): string {
  const head = escapeText(body.trimEnd());
  const parts = comments.map(formatComment).join('\n');
  return `${head}${head ? '\n\n' : ''}## Comments\n\n${parts}`;
}
