import type { TicketSummary } from '../../index/queries.js';

interface Column {
  state: string;
  category: string;
  count: number;
  tickets: TicketSummary[];
}

/** Human renderers for the board, by operation name. */
export const renderers: Record<string, (out: unknown) => string> = {
  board: (out) => renderBoard((out as { columns: Column[] }).columns, process.stdout.columns || 120),
};

const MAX_ROWS = 30;

function fit(s: string, w: number): string {
  if (w <= 0) return '';
  const one = s.replace(/\s+/g, ' ');
  return one.length > w ? `${one.slice(0, Math.max(0, w - 1))}…` : one + ' '.repeat(w - one.length);
}

/** Columns side by side, as wide as the terminal allows; a column longer than MAX_ROWS says how many more. */
export function renderBoard(columns: Column[], width: number): string {
  if (!columns.length) return '(no states)';
  const colWidth = Math.max(14, Math.floor((width - (columns.length - 1) * 3) / columns.length));
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
        .join(' │ ')
        .trimEnd(),
    );
  return rows.join('\n');
}
