import type { TicketSummary } from '../index/queries.js';
import { bold, categoryColor, cyan, dim, red, yellow } from './colors.js';
import { fit, outputWidth } from './terminal.js';
import { batches } from '../model/batches.js';
import type { TicketDetails, HistoryRow } from '../index/ticketDetails.js';
import { renderers as queryRenderers } from './render/query.js';
import { renderers as historyRenderers } from './render/history.js';
import { actorMark } from './render/provenance.js';
import { renderers as adminRenderers } from './render/admin.js';
import { renderers as syncRenderers, conflictLines } from './render/sync.js';
import { renderers as teamRenderers } from './render/team.js';
import { renderers as archiveRenderers } from './render/archive.js';
import { renderers as agentRenderers } from './render/agents.js';
import { renderers as triggerRenderers } from './render/triggers.js';
import { renderers as workspaceRenderers } from './render/workspace.js';
import { renderers as exchangeRenderers } from './render/exchange.js';
import { renderers as gitlinksRenderers } from './render/gitlinks.js';
import { renderers as boardRenderers } from './render/board.js';
import { renderers as viewRenderers } from './render/views.js';

const RENDERERS: Record<string, (out: unknown, widths?: TableWidths) => string> = {
  ...queryRenderers,
  ...historyRenderers,
  ...adminRenderers,
  ...syncRenderers,
  ...teamRenderers,
  ...archiveRenderers,
  ...agentRenderers,
  ...triggerRenderers,
  ...workspaceRenderers,
  ...exchangeRenderers,
  ...gitlinksRenderers,
  ...boardRenderers,
  ...viewRenderers,
  'comment-edit': (out) => {
    const o = out as { ticket: string; comment: { id: string }; changed: boolean };
    return o.changed ? `edited comment ${o.comment.id} on ${o.ticket}` : `comment ${o.comment.id} already says that`;
  },
  'comment-delete': (out) => {
    const o = out as { ticket: string; comment: string };
    return `deleted comment ${o.comment} on ${o.ticket}`;
  },
};

/** Human output. Agents use --json; this is for people at a terminal. */
export { bold, dim } from './colors.js';

// Painted when first shown: colour is decided on first use (see colors.ts).
const PRIORITY_MARK: Record<string, () => string> = {
  urgent: () => red('!!!'),
  high: () => yellow('!! '),
  medium: () => '!  ',
  low: () => dim('.  '),
  none: () => '   ',
};

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** The id as shown: tickets of another workspace store carry its name (`plan:tk-3fa9`). */
export function shownId(t: Pick<TicketSummary, 'id' | 'short_id' | 'source'>): string {
  const id = t.short_id || t.id;
  return t.source && t.source !== 'local' ? `${t.source}:${id}` : id;
}

/**
 * One ticket a line, never wrapped: on a terminal the line is cut to its width (the
 * title keeps at least 20 characters; labels and assignee go first). `--wide`: whole.
 */
export function ticketLine(t: TicketSummary, idWidth = 8, statusWidth = 11, width = outputWidth()): string {
  let labels = t.labels.length ? ` ${t.labels.map((l) => `#${l}`).join(' ')}` : '';
  let who = t.assignee ? ` @${t.assignee}` : '';
  let title = t.title;
  const room = width ? width - (idWidth + statusWidth + 6) : 0;
  if (room > 0 && title.length + labels.length + who.length > room) {
    const forTitle = Math.max(Math.min(title.length, 20), room - labels.length - who.length);
    title = fit(title, Math.min(forTitle, room));
    const rest = room - title.length;
    who = fit(who, Math.max(0, rest - labels.length));
    labels = fit(labels, Math.max(0, rest - who.length));
  }
  const tail = `${labels ? cyan(labels) : ''}${who ? dim(who) : ''}`;
  return `${bold(pad(shownId(t), idWidth))} ${categoryColor(t.category, pad(t.status, statusWidth))} ${Object.hasOwn(PRIORITY_MARK, t.priority) ? PRIORITY_MARK[t.priority]() : '   '} ${title}${tail}`;
}

export function ticketTable(rows: TicketSummary[], empty = 'no tickets', widths = tableWidths(rows)): string {
  if (rows.length === 0) return dim(empty);
  return rows.map((r) => ticketLine(r, widths.id, widths.status) + expiredNote(r)).join('\n');
}

/** The columns of a table of tickets: measured over every row, so a table written in parts lines up. */
export interface TableWidths {
  id: number;
  status: number;
  /** `stale`'s idle days ("12d"). */
  days: number;
}

export function tableWidths(rows: Iterable<TicketSummary & { idle_days?: number }>): TableWidths {
  const w = { id: 0, status: 0, days: 0 };
  for (const r of rows) {
    w.id = Math.max(w.id, shownId(r).length);
    w.status = Math.max(w.status, r.status.length);
    if (r.idle_days !== undefined) w.days = Math.max(w.days, String(r.idle_days).length + 1);
  }
  return w;
}

/** Answers a line or two per ticket, whose lines have no columns to line up. */
const UNTABLED = new Set(['search', 'blocked']);

/**
 * The text renderHuman gives for an answer of rows, made a batch at a time as the rows are
 * read (`read` reads them again each time it is called): a table's widths are measured first,
 * in a read of their own. `safe` makes a batch fit to show (terminalSafeValue).
 */
export function* renderedRows(
  op: string,
  read: () => Iterable<unknown>,
  safe: (rows: unknown[]) => unknown,
): Generator<string> {
  const widths = UNTABLED.has(op) ? undefined : shownWidths(read(), safe);
  let any = false;
  for (const batch of batches(read(), RENDER_BATCH)) {
    yield `${any ? '\n' : ''}${renderHuman(op, safe(batch), widths)}`;
    any = true;
  }
  if (!any) yield renderHuman(op, []);
}

const RENDER_BATCH = 500;

/** The widths of the rows as they will be shown (made safe: an escape is wider than its character). */
function shownWidths(rows: Iterable<unknown>, safe: (rows: unknown[]) => unknown): TableWidths {
  const w = { id: 0, status: 0, days: 0 };
  for (const batch of batches(rows, RENDER_BATCH)) {
    const b = tableWidths(safe(batch) as TicketSummary[]);
    w.id = Math.max(w.id, b.id);
    w.status = Math.max(w.status, b.status);
    w.days = Math.max(w.days, b.days);
  }
  return w;
}

/** `ready` offers started work again when its holder's claim expired: the row says whose. */
function expiredNote(r: TicketSummary & { expired_claim?: { owner: string; expires: string } }): string {
  const e = r.expired_claim;
  return e ? dim(` (claim of ${e.owner} expired at ${e.expires}: free to claim)`) : '';
}

function list(label: string, ids: string[], refs: TicketDetails['refs'] = {}, total = ids.length): string | null {
  if (!ids.length) return null;
  const more = total > ids.length ? ` ${dim(`and ${total - ids.length} more`)}` : '';
  // Related tickets one per line with their title and state; other names (docs, commits) on one line.
  if (!ids.every((id) => refs[id])) return `${dim(pad(`${label}:`, 12))} ${ids.join(', ')}${more}`;
  const lines = ids.map((id, i) => {
    const r = refs[id];
    return `${dim(pad(i === 0 ? `${label}:` : '', 12))} ${bold(r.short_id || id)} ${r.title} ${categoryColor(r.category, `(${r.status})`)}`;
  });
  if (more) lines.push(`${pad('', 12)}${more}`);
  return lines.join('\n');
}

function historyLines(history: HistoryRow[]): string[] {
  return history.map((h) => {
    const when = h.time.replace('T', ' ').replace(/:\d\d([+-]\d\d:\d\d|Z)$/, '');
    const change =
      h.field === 'description'
        ? 'description edited'
        : h.field === 'comment'
          ? `commented ${JSON.stringify((h.new ?? '').slice(0, 60))}`
          : h.field === 'comment-edit'
            ? `edited comment ${JSON.stringify((h.new ?? '').slice(0, 60))}`
            : h.field === 'comment-delete'
              ? `deleted comment ${JSON.stringify((h.old ?? '').slice(0, 60))}`
              : h.old === null
                ? `${h.field} = ${h.new}`
                : `${h.field}: ${h.old} → ${h.new ?? '(removed)'}`;
    return `  ${dim(h.commit.slice(0, 8))} ${dim(when)} ${h.author}${actorMark(h.provenance)}: ${change}`;
  });
}

export function ticketCard(t: TicketDetails & { history?: HistoryRow[]; history_total?: number }): string {
  const out: string[] = [];
  out.push(`${bold(shownId(t))} ${bold(t.title)}`);
  out.push(
    `${categoryColor(t.category, t.status)} · ${t.type} · priority ${t.priority}${t.assignee ? ` · @${t.assignee}` : ''}${t.owner ? ` · owner ${t.owner}` : ''}${t.project ? ` · project ${t.project}` : ''}`,
  );
  if (t.labels.length) out.push(cyan(t.labels.map((l) => `#${l}`).join(' ')));
  out.push(
    dim(
      `id ${t.id} · created ${t.created} · updated ${t.updated}${t.dirty ? ' · uncommitted edit' : ''}${t.archived ? ' · archived (`tack restore` brings it back)' : ''}`,
    ),
  );
  if (t.resolution) out.push(`resolution: ${t.resolution}`);
  for (const p of t.problems) out.push(red(`problem: ${p}`));
  const rel = [
    list('parent', t.parent ? [t.parent] : [], t.refs),
    list('children', t.children, t.refs, t.relation_totals?.child),
    list('blocks', t.blocks, t.refs, t.relation_totals?.blocks),
    list('blocked by', t.blocked_by, t.refs, t.relation_totals?.blocked_by),
    list('related', t.related, t.refs, t.relation_totals?.related),
    list('duplicates', t.duplicates, t.refs, t.relation_totals?.duplicates),
    list('dup. by', t.duplicated_by, t.refs, t.relation_totals?.duplicated_by),
    list('links', t.links, t.refs),
    list('backlinks', t.backlinks, t.refs, t.backlinks_total),
    list('branches', t.branches ?? []),
    list('commits', t.commits ?? []),
    list(
      'done at',
      t.done_at && t.category === 'completed'
        ? [`${t.done_at.commit}${t.done_at.branch ? ` on ${t.done_at.branch}` : ''}`]
        : [],
    ),
  ].filter((x): x is string => x !== null);
  if (rel.length) out.push('', ...rel);
  const merged = Array.isArray(t.extra.conflicts) ? (t.extra.conflicts as Parameters<typeof conflictLines>[0]) : [];
  for (const l of conflictLines(merged)) out.push(red(`merge conflict: ${l}`));
  const extra = Object.entries(t.extra).filter(([k]) => k !== 'conflicts' || merged.length === 0);
  if (extra.length)
    out.push('', ...extra.map(([k, v]) => `${dim(pad(`${k}:`, 12))} ${typeof v === 'string' ? v : JSON.stringify(v)}`));
  if (t.description.trim()) out.push('', t.description.trimEnd());
  if (t.comments.length) {
    out.push('', bold(`Comments (${t.comments.length})`));
    for (const c of t.comments)
      out.push(
        `  ${bold(c.author)} ${dim(c.created)} ${dim(c.id)}${c.edited ? dim(` (edited ${c.edited})`) : ''}`,
        ...c.body.split('\n').map((l) => `    ${l}`),
      );
  }
  if (t.history?.length) {
    const earlier = (t.history_total ?? t.history.length) - t.history.length;
    const head =
      earlier > 0 ? `History (the latest ${t.history.length}; \`tack log ${t.id} -n N\` for more)` : 'History';
    out.push('', bold(head), ...historyLines(t.history));
  }
  return out.join('\n');
}

function isSummary(v: unknown): v is TicketSummary {
  return !!v && typeof v === 'object' && 'id' in v && 'title' in v && 'status' in v;
}

/** Render whatever an operation returned; specific shapes first, then a generic view. */
export function renderHuman(op: string, out: unknown, widths?: TableWidths): string {
  const specific = RENDERERS[op];
  if (specific) return specific(out, widths);
  if (op === 'show' && isSummary(out)) return ticketCard(out as TicketDetails);
  if (op === 'search' && Array.isArray(out)) {
    if (out.length === 0) return dim('no matches');
    return (out as Array<TicketSummary & { snippet: string }>)
      .map((h) => `${ticketLine(h)}\n    ${dim(h.snippet)}`)
      .join('\n');
  }
  if (op === 'search' && out && typeof out === 'object' && 'terms' in out) {
    const c = out as { tickets: number; terms: Array<{ term: string; weight: number; tickets: number }> };
    return (
      `${dim(`${c.tickets} tickets`)}\n` +
      c.terms
        .map(
          (t) => `${pad(t.term, 24)} ${'█'.repeat(Math.max(1, Math.round(t.weight * 20)))} ${dim(String(t.tickets))}`,
        )
        .join('\n')
    );
  }
  if (op === 'blocked' && Array.isArray(out)) {
    if (out.length === 0) return dim('nothing is blocked');
    return (out as Array<TicketSummary & { blocked_by: string[]; blocked_by_count: number }>)
      .map((t) => {
        const more = t.blocked_by_count - t.blocked_by.length;
        return `${ticketLine(t)}\n    ${dim(`blocked by ${t.blocked_by.join(', ')}${more > 0 ? ` and ${more} more` : ''}`)}`;
      })
      .join('\n');
  }
  if (Array.isArray(out) && out.every(isSummary))
    return ticketTable(out, op === 'ready' ? 'nothing is ready' : 'no tickets', widths);
  if (isSummary(out)) {
    const verb = op === 'create' ? 'created' : op === 'update' ? 'updated' : op;
    return `${verb} ${ticketLine(out)}`;
  }
  if (out && typeof out === 'object') {
    const o = out as Record<string, unknown>;
    if (typeof o.message === 'string') return o.message;
    if (Array.isArray(o.tickets) && o.tickets.every(isSummary)) return ticketTable(o.tickets as TicketSummary[]);
    if (o.comment && typeof o.ticket === 'string')
      return `commented on ${o.ticket} (${(o.comment as { id: string }).id})`;
    if (Array.isArray(o.deleted)) {
      const also =
        Array.isArray(o.updated) && o.updated.length ? `; removed references from ${o.updated.join(', ')}` : '';
      return `deleted ${o.deleted.join(', ')}${also} (git history keeps every version)`;
    }
  }
  return typeof out === 'string' ? out : JSON.stringify(out, null, 2);
}
