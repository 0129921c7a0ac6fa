import type { TreeResult } from '../../index/treeQuery.js';
import type { DocDetails, DocEntry } from '../../index/docsQueries.js';
import type { StaleTicket } from '../../index/reports.js';
import type { RebuildReport } from '../../index/rebuildIndex.js';
import type { TicketRef } from '../../index/ticketRefs.js';
import { tableWidths, ticketLine, type TableWidths } from '../render.js';
import { bold, categoryColor, coloured, dim, red } from '../colors.js';
import { drawTree, PLAIN, type TreePaint } from './drawTree.js';
import { renderStats } from './renderStats.js';
import { stdoutIsTTY } from '../output.js';
import { n } from '../../ops/pageNote.js';

const treePaint = (): TreePaint => (coloured() ? { dim, bold, red, category: categoryColor } : PLAIN);

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function refs(list: TicketRef[]): string {
  return list.map((t) => t.short_id || t.id).join(', ');
}

function tree(out: unknown): string {
  const r = out as TreeResult;
  if (r.roots.length === 0) {
    if (r.root) return dim(`${r.root}: nothing to show`);
    return dim(r.kind === 'blocks' ? 'no blocks edges between the tickets shown' : 'no open work');
  }
  const lines = drawTree(r, {
    width: stdoutIsTTY() ? (process.stdout.columns ?? 120) : 0,
    notes: r.kind === 'both',
    paint: treePaint(),
  });
  if (r.total > r.count) {
    lines.push('', dim(`${n(r.count)} of ${n(r.total)} tickets drawn: --limit 0 for all, --depth N for fewer levels`));
  } else if (!r.root) lines.push('', dim(`${r.count} ticket${r.count === 1 ? '' : 's'}`));
  return lines.join('\n');
}

function docsList(out: unknown): string {
  const docs = out as DocEntry[];
  if (docs.length === 0) return dim('no docs (add one: tack docs add docs/NAME.md --text "# Title")');
  const pw = Math.max(...docs.map((d) => d.path.length));
  const tw = Math.min(40, Math.max(...docs.map((d) => (d.title ?? '(missing)').length)));
  return docs
    .map((d) => {
      const title = d.exists ? pad(d.title ?? '', tw) : dim(pad('(missing)', tw));
      const more = d.backlinks_total > d.backlinks.length ? ` and ${d.backlinks_total - d.backlinks.length} more` : '';
      const links = d.backlinks.length ? dim(`← ${refs(d.backlinks)}${more}`) : '';
      return `${bold(pad(d.path, pw))}  ${title}  ${links}`.trimEnd();
    })
    .join('\n');
}

function docsShow(out: unknown): string {
  const d = out as DocDetails;
  const lines = [`${bold(d.path)} ${dim('·')} ${bold(d.title ?? '')}`];
  if (d.backlinks.length) {
    lines.push(
      dim('linked from:'),
      ...d.backlinks.map((t) => `  ${bold(t.short_id || t.id)} ${t.status ?? dim('(gone)')} ${t.title}`),
      ...(d.backlinks_total > d.backlinks.length ? [dim(`  and ${d.backlinks_total - d.backlinks.length} more`)] : []),
    );
  } else lines.push(dim('no ticket links here'));
  lines.push('', d.body.trimEnd());
  const part = out as { chars?: number; next_offset?: number | null };
  if (typeof part.next_offset === 'number')
    lines.push('', dim(`… ${part.chars! - part.next_offset} more characters: --offset ${part.next_offset}`));
  return lines.join('\n');
}

function docsWrite(out: unknown): string {
  const r = out as { path: string; created: boolean; changed: boolean; commit: string | null };
  if (!r.changed) return `unchanged ${r.path} ${dim('(same content: no commit)')}`;
  return `${r.created ? 'added' : 'updated'} ${r.path}${r.commit ? dim(` (commit ${r.commit.slice(0, 8)})`) : ''}`;
}

function stale(out: unknown, widths?: TableWidths): string {
  const rows = out as StaleTicket[];
  if (rows.length === 0) return dim('nothing is stale');
  const w = widths ?? tableWidths(rows);
  return rows.map((r) => `${dim(pad(`${r.idle_days}d`, w.days))} ${ticketLine(r, w.id, w.status)}`).join('\n');
}

function reindex(out: unknown): string {
  const r = out as RebuildReport;
  return (
    `reindexed ${r.tickets} tickets, ${r.docs} docs, ${r.commits} commits, ${r.history} history rows` +
    `${r.problems ? `, ${r.problems} problem${r.problems === 1 ? '' : 's'}` : ''} in ${r.elapsed_ms} ms`
  );
}

/** Human renderers for the query commands, by operation name. */
export const renderers: Record<string, (out: unknown, widths?: TableWidths) => string> = {
  tree,
  'docs-list': docsList,
  'docs-show': docsShow,
  'docs-write': docsWrite,
  stats: renderStats,
  stale,
  reindex,
};
