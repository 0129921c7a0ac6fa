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
export function jsonlLine(t: ExportTicket): string {
  return `${JSON.stringify({ ...t.fields, id: t.id, description: t.body, comments: t.comments })}\n`;
}

export function toJsonl(tickets: ExportTicket[]): string {
  return tickets.map(jsonlLine).join('');
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

/** RFC 4180 CSV: the header row. */
export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\r\n`;

/** One CSV row: lists joined with `;`, comments as a count. */
export function csvRow(t: ExportTicket): string {
  const v: Record<string, unknown> = {
    ...t.fields,
    id: t.id,
    blocked_by: t.blockedBy,
    description: t.body,
    comments: t.comments.length,
  };
  return `${CSV_COLUMNS.map((c) => csvCell(v[c])).join(',')}\r\n`;
}

/** RFC 4180 CSV with a header row (CSV_HEADER, then a csvRow a ticket). */
export function toCsv(tickets: ExportTicket[]): string {
  return CSV_HEADER + tickets.map(csvRow).join('');
}
