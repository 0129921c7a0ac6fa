import type { TicketConflicts } from '../../index/conflictQueries.js';

/** Human renderers for sync, status, conflicts and the merge driver, by operation name. */
export const renderers: Record<string, (out: unknown) => string> = {
  conflicts: (out) => renderConflicts(out as TicketConflicts[]),
  'branch-list': (out) => {
    const rows = out as Array<{ name: string; head: string; ahead: number; behind: number }>;
    if (rows.length === 0) return 'no plan branches (make one with `tack branch create NAME`)';
    return rows
      .map((r) => `${r.name.padEnd(16)} ${r.head.slice(0, 8)}  ${r.ahead} ahead, ${r.behind} behind the store`)
      .join('\n');
  },
  'merge-file': (out) => {
    const o = out as { path: string; conflicts: unknown[] };
    return `tack: merged ${o.path}${o.conflicts.length ? ` (${o.conflicts.length} conflict(s) resolved; see \`tack conflicts\`)` : ''}`;
  },
};

function value(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  const one = s.trimEnd().replace(/\n/g, ' ⏎ ');
  return one.length > 70 ? `${one.slice(0, 69)}…` : one;
}

/** One line per losing value, for `tack conflicts` and the mark in `tack show`. */
export function conflictLines(list: Array<{ field: string; lost: unknown; kept?: unknown; at?: string }>): string[] {
  return list.map(
    (c) =>
      `${c.field}: kept ${c.kept === undefined ? 'the other version' : value(c.kept)}, lost ${value(c.lost)}${c.at ? ` (edit of ${c.at})` : ''}`,
  );
}

function renderConflicts(rows: TicketConflicts[]): string {
  if (rows.length === 0) return 'no merge conflicts';
  return `${rows
    .map((r) => [`${r.short_id || r.id} ${r.title}`, ...conflictLines(r.conflicts).map((l) => `    ${l}`)].join('\n'))
    .join('\n')}\n(clear with \`tack conflicts resolve ID\` once reviewed)`;
}
