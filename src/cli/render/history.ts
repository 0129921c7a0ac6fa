import type { CommitRow, RecentCommit, TicketChange } from '../../index/historyQueries.js';
import type { TicketRef } from '../../index/ticketRefs.js';
import { bold, dim } from '../render.js';
import { actorMark } from './provenance.js';
import { n } from '../../ops/pageNote.js';

/** "2026-11-21T10:02:11+01:00" → "2026-11-21 10:02", in the time zone it was recorded in. */
function when(iso: string): string {
  return iso.replace('T', ' ').replace(/:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)?$/, '');
}

function value(v: string | null, max = 70): string {
  if (v === null) return '(none)';
  const one = v.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function change(c: TicketChange): string {
  if (c.field === 'deleted') return 'deleted';
  if (c.field === 'description') return c.old === null || c.old === '' ? 'description written' : 'description edited';
  if (c.field === 'comment')
    return `commented ${JSON.stringify(value(c.new?.replace(/^c-[0-9a-z]+: /, '') ?? '', 60))}`;
  if (c.old === null) return `${c.field}: ${value(c.new)}`;
  if (c.new === null) return `${c.field}: ${value(c.old)} → (removed)`;
  return `${c.field}: ${value(c.old, 40)} → ${value(c.new, 40)}`;
}

function ticketLog(out: { ticket: TicketRef; changes: TicketChange[] }): string {
  const t = out.ticket;
  const lines = [`${bold(t.short_id)} ${bold(t.title)}${t.status === null ? dim(' (deleted)') : ''}`];
  if (out.changes.length === 0) lines.push(dim('no recorded changes'));
  let prev = '';
  for (const c of out.changes) {
    if (c.commit !== prev) {
      lines.push(
        `${dim(when(c.time))}  ${c.author}  ${dim(c.commit.slice(0, 8))}  ${c.op ?? dim('(hand edit)')}${actorMark(c.provenance)}`,
      );
      prev = c.commit;
    }
    lines.push(`    ${change(c)}`);
  }
  return lines.join('\n');
}

function commitLines(commits: CommitRow[]): string {
  if (commits.length === 0) return dim('no commits');
  const aw = Math.max(...commits.map((c) => c.author.length));
  return commits
    .map(
      (c) =>
        `${dim(c.sha.slice(0, 8))}  ${dim(when(c.time))}  ${c.author.padEnd(aw)}  ${c.subject}${actorMark(c.provenance)}`,
    )
    .join('\n');
}

function log(out: unknown): string {
  const o = out as { commits?: CommitRow[]; ticket?: TicketRef; changes?: TicketChange[] };
  if (o.commits) return commitLines(o.commits);
  return ticketLog(o as { ticket: TicketRef; changes: TicketChange[] });
}

function ticketRow(t: TicketRef & { fields?: string[] }, idW: number): string {
  const fields = t.fields?.length ? dim(` (${t.fields.join(', ')})`) : '';
  return `    ${bold((t.short_id || t.id).padEnd(idW))} ${t.status ?? dim('(gone)')}  ${t.title}${fields}`;
}

function recent(out: unknown): string {
  const o = out as {
    since: string | null;
    author: string | null;
    actor?: string | null;
    commits: RecentCommit[];
    uncommitted: TicketRef[];
  };
  const lines: string[] = [];
  if (o.uncommitted.length) {
    const idW = Math.max(...o.uncommitted.map((t) => t.short_id.length));
    lines.push(bold('Uncommitted edits'), ...o.uncommitted.map((t) => ticketRow(t, idW)), '');
  }
  if (o.commits.length === 0) {
    const filters = [
      o.author ? `by ${o.author}` : '',
      o.actor ? `by actor ${o.actor}` : '',
      o.since ? `since ${when(o.since)}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    lines.push(dim(`no changes${filters ? ` ${filters}` : ''}`));
  }
  for (const c of o.commits) {
    lines.push(`${dim(when(c.time))}  ${c.author}  ${dim(c.sha.slice(0, 8))}  ${c.subject}${actorMark(c.provenance)}`);
    const idW = Math.max(0, ...c.tickets.map((t) => t.short_id.length));
    lines.push(...c.tickets.map((t) => ticketRow(t, idW)));
    const more = c.ticket_count - c.tickets.length;
    if (more > 0) lines.push(dim(`    … ${n(more)} more ticket${more === 1 ? '' : 's'} (--tickets 0 for all)`));
    lines.push(...c.docs.map((d) => `    ${d}`));
  }
  return lines.join('\n').trimEnd();
}

/** Human renderers for the history commands, by operation name. */
export const renderers: Record<string, (out: unknown) => string> = { log, recent };
