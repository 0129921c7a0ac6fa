import type { Comment } from './comments.js';

/** A ticket as exporters see it: the whole front matter, the body, comments, and who blocks it. */
export interface ExportTicket {
  id: string;
  /** Every front-matter key, as stored (unknown keys included). */
  fields: Record<string, unknown>;
  body: string;
  comments: Comment[];
  /** Ids of the tickets whose `blocks` name this one (the index's inverse edge). */
  blockedBy: string[];
  /** In archive/ (formats that keep archived work apart say so). */
  archived?: boolean;
}

/** One JSON object a line: the front matter, `description` (the body) and `comments`. */
export function toJsonl(tickets: ExportTicket[]): string {
  return (
    tickets
      .map((t) => JSON.stringify({ ...t.fields, id: t.id, description: t.body, comments: t.comments }))
      .join('\n') + (tickets.length ? '\n' : '')
  );
}

export const CSV_COLUMNS = [
  'id',
  'title',
  'type',
  'status',
  'priority',
  'assignee',
  'labels',
  'parent',
  'project',
  'blocks',
  'blocked_by',
  'aliases',
  'created',
  'updated',
  'resolution',
  'description',
  'comments',
];

/**
 * A text cell a spreadsheet would run as a formula (OWASP "CSV injection": it starts with
 * `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with `'`, which spreadsheets
 * read as "this is text". Numbers are written as they are.
 */
export function formulaSafe(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function csvCell(v: unknown): string {
  const text =
    v === null || v === undefined
      ? ''
      : Array.isArray(v)
        ? v.join(';')
        : typeof v === 'object'
          ? JSON.stringify(v)
          : String(v);
  const s = typeof v === 'number' || typeof v === 'boolean' ? text : formulaSafe(text);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV with a header row; lists joined with `;`, comments as a count. */
export function toCsv(tickets: ExportTicket[]): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const t of tickets) {
    const f = t.fields;
    const v: Record<string, unknown> = {
      ...f,
      id: t.id,
      blocked_by: t.blockedBy,
      description: t.body,
      comments: t.comments.length,
    };
    rows.push(CSV_COLUMNS.map((c) => csvCell(v[c])).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}
