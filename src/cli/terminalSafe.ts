import { NOT_ONE_LINE_ALL } from '../model/oneLine.js';

/*
 * Values read from ticket files were written by anyone: a title with a newline could fake
 * a row of `tack list`, an escape sequence could rewrite the screen, a bidi override could
 * reorder what is shown. Before human output renders them, such characters are shown as
 * escapes (`\n`, `\x1b`, `\u202e`); JSON output keeps the stored value.
 */

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const cp = ch.codePointAt(0)!;
  return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
}

/** A one-line value as the terminal may show it. */
export function terminalSafe(value: string): string {
  return value.replace(NOT_ONE_LINE_ALL, escapeChar);
}

/** Multi-line text (a description, a comment): line breaks and tabs stay, the rest is escaped. */
export function terminalSafeText(value: string): string {
  return value.replace(NOT_ONE_LINE_ALL, (ch, at: number, all: string) =>
    ch === '\n' || ch === '\t' || (ch === '\r' && all[at + 1] === '\n') ? ch : escapeChar(ch),
  );
}

/**
 * Keys that hold one-line values (a ticket's fields, names): a line break in them is shown
 * as `\n`. Other strings may be multi-line text and keep their line breaks; escapes, C1
 * controls, bidi overrides and lone carriage returns are shown escaped everywhere.
 */
const ONE_LINE_KEYS = new Set([
  'id',
  'short_id',
  'title',
  'type',
  'status',
  'priority',
  'labels',
  'label',
  'assignee',
  'owner',
  'author',
  'user',
  'name',
  'parent',
  'project',
  'resolution',
  'state',
  'path',
  'tag',
  'tags',
  'aliases',
  'links',
  'ticket',
]);

/** A deep copy of an operation's result with every string made safe for the terminal. */
export function terminalSafeValue(v: unknown, key = ''): unknown {
  if (typeof v === 'string') return ONE_LINE_KEYS.has(key) ? terminalSafe(v) : terminalSafeText(v);
  if (Array.isArray(v)) return v.map((x) => terminalSafeValue(x, key));
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = terminalSafeValue(x, k);
    return out;
  }
  return v;
}
