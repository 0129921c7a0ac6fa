import type { TicketSummary } from '../../index/queries.js';
import { outputWidth } from '../terminal.js';

interface Column {
  state: string;
  category: string;
  count: number;
  tickets: TicketSummary[];
}

/** Human renderers for the board, by operation name. */
export const renderers: Record<string, (out: unknown) => string> = {
  board: (out) => renderBoard((out as { columns: Column[] }).columns, outputWidth() || 120),
};

const MAX_ROWS = 30;
/** Narrower than this a card says nothing: more columns go to the next band instead. */
const MIN_COLUMN = 18;
const GAP = ' │ ';

function fit(s: string, w: number): string {
  if (w <= 0) return '';
  const one = s.replace(/\s+/g, ' ');
  return one.length > w ? `${one.slice(0, Math.max(0, w - 1))}…` : one + ' '.repeat(w - one.length);
}

/** Columns side by side in `width`; a column longer than MAX_ROWS says how many more. */
function band(columns: Column[], width: number): string[] {
  const colWidth = Math.max(MIN_COLUMN, Math.floor((width - (columns.length - 1) * GAP.length) / columns.length));
  const cells = columns.map((c) => {
    const lines = [fit(`${c.state} (${c.count})`, colWidth), '─'.repeat(colWidth)];
    for (const t of c.tickets.slice(0, MAX_ROWS)) lines.push(fit(`${t.short_id || t.id} ${t.title}`, colWidth));
    const hidden = c.count - Math.min(c.tickets.length, MAX_ROWS);
    if (hidden > 0) lines.push(fit(`… ${hidden} more`, colWidth));
    return lines;
  });
  const height = Math.max(...cells.map((l) => l.length));
  const rows: string[] = [];
  for (let i = 0; i < height; i++)
    rows.push(
      cells
        .map((l) => l[i] ?? ' '.repeat(colWidth))
        .join(GAP)
        .trimEnd(),
    );
  return rows;
}

/**
 * The board within the terminal's width: states with tickets as columns, as many side by
 * side as fit (at least MIN_COLUMN wide), the rest in further bands below; empty states
 * named on one line instead of taking a column each.
 */
export function renderBoard(columns: Column[], width: number): string {
  if (!columns.length) return '(no states)';
  const shown = columns.filter((c) => c.count > 0);
  const empty = columns.filter((c) => c.count === 0).map((c) => c.state);
  const perBand = Math.max(1, Math.floor((width + GAP.length) / (MIN_COLUMN + GAP.length)));
  const out: string[] = [];
  for (let i = 0; i < shown.length; i += perBand) {
    if (out.length) out.push('');
    out.push(...band(shown.slice(i, i + perBand), width));
  }
  if (empty.length) {
    if (out.length) out.push('');
    out.push(fit(`empty: ${empty.join(', ')}`, width).trimEnd());
  }
  return out.join('\n');
}
