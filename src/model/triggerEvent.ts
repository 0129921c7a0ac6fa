import { createHash } from 'node:crypto';
import type { Comment } from './comments.js';
import type { TicketData } from './ticket.js';
import { type Wake, wakesOf } from './wakeRules.js';

/** A field change as the history table records it (values as text, JSON for lists). */
export interface FieldChangeRow {
  field: string;
  old: string | null;
  new: string | null;
}

/** What the trigger event says about the ticket: its fields as the commit left them. */
export interface EventTicket {
  id: string;
  title: string | null;
  type: string | null;
  status: string | null;
  category: string | null;
  priority: string | null;
  assignee: string | null;
  labels: string[];
  parent: string | null;
  fields: Record<string, unknown>;
  archived: boolean;
}

/**
 * One trigger event: what one commit did to one ticket. `event` is its main name,
 * `names` every name it answers to (a hook on `ticket.status.done` gets the
 * `ticket.updated` event whose `names` include it). `id` is the same wherever and
 * however often the event is derived from that commit, so receivers can de-duplicate.
 */
export interface TriggerEvent {
  id: string;
  event: string;
  names: string[];
  time: string;
  actor: { name: string; email: string | null };
  commit: { sha: string; op: string | null; subject: string; parents: string[] };
  ticket: EventTicket;
  change: {
    fields: string[];
    from: Record<string, unknown>;
    to: Record<string, unknown>;
    comments: Comment[];
  };
  store: { ref: string };
  /** Whom this event should wake (see wakeRules.ts); each also adds a `wake.<why>` name. */
  wake: Wake[];
}

/** The ping `tack hooks test` sends: same envelope, no ticket. */
export interface PingEvent {
  id: string;
  event: 'ping';
  names: ['ping'];
  time: string;
  actor: { name: string; email: string | null };
  store: { ref: string };
  message: string;
}

export type AnyEvent = TriggerEvent | PingEvent;

/** The raw facts the index has about one ticket in one commit. */
export interface CommitTicketFacts {
  sha: string;
  parents: string[];
  op: string | null;
  subject: string;
  author: string;
  email: string | null;
  time: string;
  ticket: string;
  rows: FieldChangeRow[];
  /** The ticket as the commit left it (null: deleted); `before` the version the commit replaced. */
  after: TicketData | null;
  before: TicketData | null;
  /** True when the commit added the file under tickets/ (not a restore from archive/). */
  added: boolean;
  archived: boolean;
  ref: string;
  /** The assignee of the ticket's parent as of this commit (for the wake rules). */
  parentAssignee?: string | null;
}

export function eventId(commit: string, ticket: string): string {
  return `evt_${createHash('sha256').update(`${commit}:${ticket}`).digest('hex').slice(0, 24)}`;
}

/** The main name of what happened, from the fields the commit changed. */
export function eventKind(f: Pick<CommitTicketFacts, 'op' | 'rows' | 'added' | 'after'>): string {
  const fields = new Set(f.rows.map((r) => r.field));
  if (!f.after || fields.has('deleted')) return 'ticket.deleted';
  const archived = f.rows.find((r) => r.field === 'archived');
  if (archived) return archived.new === 'true' ? 'ticket.archived' : 'ticket.restored';
  if (f.added) return 'ticket.created';
  if (f.op === 'claim' || f.op === 'claim-next') return 'ticket.claimed';
  if (f.op === 'release') return 'ticket.released';
  if (fields.size > 0 && [...fields].every((x) => x === 'comment')) return 'ticket.commented';
  return 'ticket.updated';
}

/** Every name the event answers to: its kind, the status and category it moved to, a comment it added. */
export function eventNames(
  kind: string,
  statusTo: string | null,
  categoryTo: string | null,
  commented: boolean,
): string[] {
  const names = [kind];
  if (statusTo) names.push(`ticket.status.${statusTo}`);
  if (categoryTo) names.push(`ticket.category.${categoryTo}`);
  if (commented && kind !== 'ticket.commented') names.push('ticket.commented');
  return names;
}

function parseValue(v: string | null): unknown {
  if (v === null) return null;
  if (/^[[{]/.test(v)) {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  return v;
}

const str = (v: unknown): string | null =>
  typeof v === 'string' ? v : v === undefined || v === null ? null : String(v);

function eventTicket(
  id: string,
  data: TicketData | null,
  category: (status: string) => string | null,
  archived: boolean,
): EventTicket {
  const f = data?.fields ?? {};
  const status = str(f.status);
  return {
    id,
    title: str(f.title),
    type: str(f.type),
    status,
    category: status ? category(status) : null,
    priority: str(f.priority),
    assignee: str(f.assignee),
    labels: Array.isArray(f.labels) ? f.labels.map(String) : [],
    parent: str(f.parent),
    fields: f,
    archived,
  };
}

/** Build the event of one ticket in one commit; `category` maps a state to its schema category. */
export function buildEvent(facts: CommitTicketFacts, category: (status: string) => string | null): TriggerEvent {
  const kind = eventKind(facts);
  const statusRow = facts.rows.find((r) => r.field === 'status');
  const statusTo = kind === 'ticket.deleted' ? null : (statusRow?.new ?? null);
  const seen = new Set((facts.before?.comments ?? []).map((c) => c.id));
  const comments = (facts.after?.comments ?? []).filter((c) => !seen.has(c.id));
  const from: Record<string, unknown> = {};
  const to: Record<string, unknown> = {};
  const fields: string[] = [];
  for (const r of facts.rows) {
    if (r.field === 'comment' || r.field === 'deleted') continue;
    if (!fields.includes(r.field)) fields.push(r.field);
    // A new ticket has no "from"; its "to" is the ticket itself.
    if (kind !== 'ticket.created') from[r.field] = parseValue(r.old);
    to[r.field] = parseValue(r.new);
  }
  if (comments.length) fields.push('comment');
  const categoryTo = statusTo ? category(statusTo) : null;
  const ticket = eventTicket(facts.ticket, facts.after ?? facts.before, category, facts.archived);
  const wake =
    kind === 'ticket.deleted'
      ? []
      : wakesOf({
          op: facts.op,
          id: facts.ticket,
          type: ticket.type,
          assignee: ticket.assignee,
          parent: ticket.parent,
          parentAssignee: facts.parentAssignee ?? null,
          created: kind === 'ticket.created',
          categoryTo,
        });
  const names = eventNames(kind, statusTo, categoryTo, comments.length > 0);
  for (const w of wake) if (!names.includes(`wake.${w.why}`)) names.push(`wake.${w.why}`);
  return {
    id: eventId(facts.sha, facts.ticket),
    event: kind,
    names,
    time: facts.time,
    actor: { name: facts.author, email: facts.email },
    commit: { sha: facts.sha, op: facts.op, subject: facts.subject, parents: facts.parents },
    ticket,
    change: { fields, from, to, comments },
    store: { ref: facts.ref },
    wake,
  };
}
