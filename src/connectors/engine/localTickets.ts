import { createHash } from 'node:crypto';
import { fieldsOf, setField, serializeTicketFile, type TicketFile } from '../../model/ticketCodec.js';
import type { Comment } from '../../model/comments.js';
import { indexedSchema } from '../../index/indexDb.js';
import { findTicketText, loadSchema, readTicketFile } from '../../store/storeReader.js';
import { layoutOf, type Schema } from '../../model/schema.js';
import { ticketPath } from '../../model/ticketPath.js';
import { storeHead } from '../../store/store.js';
import { mutate } from '../../ops/mutate.js';
import { pullBreachMessage, pullBreaches } from '../../ops/gates.js';
import type { OpContext } from '../../ops/op.js';
import type { ConnectorKind, RemoteIssue } from '../connector.js';

/** The mapping each ticket carries in git: `external: {linear: {id, key, url}}`. */
export interface ExternalRef {
  id: string;
  key: string;
  url: string;
}

export interface LocalTicket {
  id: string;
  file: TicketFile;
  archived: boolean;
}

export function externalOf(file: TicketFile, kind: ConnectorKind): ExternalRef | null {
  const ext = fieldsOf(file).external as Record<string, ExternalRef> | undefined;
  const ref = ext && typeof ext === 'object' ? ext[kind] : undefined;
  return ref && typeof ref.id === 'string' ? ref : null;
}

export function setExternal(file: TicketFile, kind: ConnectorKind, r: Pick<RemoteIssue, 'id' | 'key' | 'url'>): void {
  const ext = (fieldsOf(file).external as Record<string, unknown> | undefined) ?? {};
  setField(file, 'external', { ...ext, [kind]: { id: r.id, key: r.key, url: r.url } });
}

/** Every ticket (tickets/ and archive/) as committed now, with the schema. */
export async function loadLocal(ctx: OpContext): Promise<{ tickets: Map<string, LocalTicket>; schema: Schema }> {
  const store = ctx.store();
  const idx = await ctx.index();
  const rev = store.mode === 'inline' ? null : storeHead(store);
  const schema = indexedSchema(idx.db) ?? loadSchema(store, rev);
  const rows = idx.db
    .prepare<{
      id: string;
      archived: number;
    }>('SELECT id, archived FROM tickets ORDER BY id')
    .all();
  const tickets = new Map<string, LocalTicket>();
  for (const r of rows) {
    const loaded = readTicketFile(store, rev, r.id, r.archived ? 'archive' : 'tickets', layoutOf(schema));
    if (loaded) tickets.set(r.id, { id: r.id, file: loaded.file, archived: r.archived === 1 });
  }
  return { tickets, schema };
}

/** The local id of a ticket imported from a remote issue: the same in every clone. */
export function importedTicketId(prefix: string, kind: ConnectorKind, remoteId: string): string {
  const h = BigInt(`0x${createHash('sha256').update(`${kind}:${remoteId}`).digest('hex').slice(0, 16)}`).toString(36);
  return `${prefix}-${h.padStart(8, '0').slice(0, 8)}`;
}

export type TicketWrite =
  | { kind: 'put'; id: string; file: TicketFile }
  /** Move to archive/ with this content (the remote item was archived). */
  | { kind: 'archive'; id: string; file: TicketFile }
  /** A new ticket straight into archive/ (a remote item already archived when first seen). */
  | { kind: 'put-archived'; id: string; file: TicketFile };

/** A ticket's comments; none when its committed file is broken (the pull repairs it). */
function commentsOf(read: () => Comment[]): Comment[] {
  try {
    return read();
  } catch {
    return [];
  }
}

/** One commit for one ticket's synced change; returns the commit (null: nothing changed). */
export function commitTicket(
  ctx: OpContext,
  op: string,
  subject: string,
  w: TicketWrite,
  warn?: (message: string) => void,
): Promise<string | null> {
  return commitTickets(ctx, op, subject, [w], warn);
}

/**
 * One commit for many tickets' synced changes (a first sync's imports, in batches).
 * `warn` hears of pulled comments that break a gate (see pullBreaches).
 */
export async function commitTickets(
  ctx: OpContext,
  op: string,
  subject: string,
  writes: TicketWrite[],
  warn?: (message: string) => void,
): Promise<string | null> {
  const { commit, value } = await mutate(ctx, op, (ed) => {
    const extra: Array<{ path: string; content: string | null }> = [];
    const extraTickets: string[] = [];
    const breaches: string[] = [];
    for (const w of writes) {
      const before = ed.exists(w.id) ? commentsOf(() => ed.ticket(w.id).comments) : [];
      for (const b of pullBreaches(ed.schema, before, w.file.comments))
        breaches.push(pullBreachMessage(w.id, op.replace(/^sync-/, ''), b));
      if (w.kind === 'archive' || w.kind === 'put-archived') {
        setField(w.file, 'updated', ed.now);
        const layout = layoutOf(ed.schema);
        const rev = ed.store.mode === 'inline' ? null : ed.head;
        const live = w.kind === 'archive' ? findTicketText(ed.store, rev, w.id, 'tickets', layout) : null;
        if (live) extra.push({ path: live.rel, content: null });
        const archived = findTicketText(ed.store, rev, w.id, 'archive', layout)?.rel;
        extra.push({ path: archived ?? ticketPath(w.id, layout, 'archive'), content: serializeTicketFile(w.file) });
        extraTickets.push(w.id);
      } else if (ed.exists(w.id))
        Object.assign(ed.load(w.id), { doc: w.file.doc, body: w.file.body, comments: w.file.comments });
      else ed.replace(w.id, w.file);
    }
    return { subject, value: breaches, ...(extra.length ? { extra, extraTickets } : {}) };
  });
  if (commit) for (const m of value) warn?.(m);
  return commit;
}
