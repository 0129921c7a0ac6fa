import { join } from 'node:path';
import type { OpContext } from '../../ops/op.js';
import { ConnectorError, type Connector, type ConnectorKind, type RemoteIssue } from '../connector.js';
import { ConnectionStore } from './connectionStore.js';
import { makeConnector, resolveCredentials } from './factories.js';
import { sameView, userMap, viewOf } from './localView.js';
import { externalOf, loadLocal, type LocalTicket } from './localTickets.js';
import { adopt, exportLocal, goneRemote, importRemote, reconcile, type PassEnv, type PassStats } from './reconcile.js';
import { KeyedQueue, withRetry } from './retry.js';
import { withPassLock } from './passLock.js';

export interface SyncResult extends PassStats {
  connection: ConnectorKind;
  scope: string;
  pulled: number;
  cursor: string | null;
  lastSync: string;
}

export interface PassOptions {
  /** Only these remote issues (a webhook): no cursor pull, no export of other tickets. */
  only?: string[];
  /** A connector built already (live mode keeps one). */
  connector?: Connector;
}

/** Every write to one connection's tickets goes through here, one at a time per process. */
const queue = new KeyedQueue();

export function connectorFor(ctx: OpContext, kind: ConnectorKind): Promise<Connector> {
  const cs = new ConnectionStore(ctx.store());
  const conn = cs.get(kind);
  return makeConnector(conn.config, resolveCredentials(kind, cs.credentials(kind)));
}

/** One sync pass of a connection: recover, pull, merge, push. Serialized per connection. */
export function syncPass(ctx: OpContext, kind: ConnectorKind, o: PassOptions = {}): Promise<SyncResult> {
  return queue.run(`${ctx.cwd}:${kind}`, async () => {
    try {
      const lock = join(new ConnectionStore(ctx.store()).dir, 'connectors', kind, 'sync.lock');
      return await withPassLock(lock, () => runPass(ctx, kind, o));
    } catch (e) {
      // The pass failed as a whole (the pull, credentials): `tack connections` shows why.
      try { new ConnectionStore(ctx.store()).updateState(kind, { lastError: describe(e) }); } catch { /* no connection */ }
      throw e;
    }
  });
}

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function runPass(ctx: OpContext, kind: ConnectorKind, o: PassOptions): Promise<SyncResult> {
  const cs = new ConnectionStore(ctx.store());
  const conn = cs.get(kind);
  const connector = o.connector ?? (await makeConnector(conn.config, resolveCredentials(kind, cs.credentials(kind))));
  const { tickets, schema } = await loadLocal(ctx);
  const stats: PassStats = { localCreated: 0, localUpdated: 0, remoteCreated: 0, remoteUpdated: 0, commentsPushed: 0, conflicts: 0, commits: [], remoteWrites: 0, errors: [] };
  const users = userMap(conn.config.users);
  const byRemote = new Map<string, LocalTicket>();
  const refs = {
    toLocal: (remoteId: string) => byRemote.get(remoteId)?.id,
    toRemote: (localId: string) => { const t = tickets.get(localId); return t ? externalOf(t.file, kind)?.id : undefined; },
    writesParent: connector.writesParent === true,
  };
  const env: PassEnv = { ctx, kind, connector, cs, schema, users, refs, stats, retry: (fn) => withRetry(fn) };
  for (const t of tickets.values()) {
    const ref = externalOf(t.file, kind);
    if (ref) byRemote.set(ref.id, t);
  }
  // A remote issue created by another clone (or by us before a crash) under a client id.
  const byClientId = new Map<string, LocalTicket>();
  if (connector.remoteIdFor) for (const t of tickets.values()) if (!externalOf(t.file, kind)) byClientId.set(connector.remoteIdFor(t.id), t);
  const guard = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      if (!(e instanceof ConnectorError) && !(e instanceof Error && 'code' in e)) throw e;
      stats.errors.push(`${what}: ${describe(e)}`);
    }
  };
  // Tickets synced before and deleted here since: their remote issues are archived, never re-imported.
  const deletedHere = new Map<string, string>();
  for (const id of cs.bases(kind)) {
    if (tickets.has(id)) continue;
    const b = cs.base(kind, id);
    if (b) deletedHere.set(b.remoteId, id);
  }
  const done = new Set<string>();
  /** Issues whose parent was not synced yet when they were merged: merged again at the end. */
  const deferred: RemoteIssue[] = [];
  const handle = async (r: RemoteIssue) => {
    const t = byRemote.get(r.id) ?? byClientId.get(r.id) ?? (r.tackId ? tickets.get(r.tackId) : undefined);
    if (!t && deletedHere.has(r.id)) return;
    if (t) done.add(t.id);
    await guard(`${r.key}`, async () => {
      if (t) {
        if ((await reconcile(env, t, r)).unresolved) deferred.push(r);
        byRemote.set(r.id, t);
        return;
      }
      const imported = await importRemote(env, r);
      if (!imported) return;
      tickets.set(imported.ticket.id, imported.ticket);
      byRemote.set(r.id, imported.ticket);
      done.add(imported.ticket.id);
      if (imported.unresolved) deferred.push(r);
    });
  };

  // 1. Creates interrupted by a crash: the pending record says a remote issue may exist.
  for (const p of cs.pending(kind)) {
    const t = tickets.get(p.ticket);
    if (!t || externalOf(t.file, kind)) { cs.dropPending(kind, p.ticket); continue; }
    await guard(`recover ${p.ticket}`, async () => {
      const found = await env.retry(() => connector.findByMarker(p.ticket));
      if (found) { await adopt(env, t, found); byRemote.set(found.id, t); done.add(t.id); } else cs.dropPending(kind, p.ticket);
    });
  }

  // 2. Pull what changed remotely (or the issues a webhook named).
  let pulled = 0;
  let cursor = conn.state.cursor ?? null;
  if (o.only) {
    for (const id of o.only) {
      const r = await env.retry(() => connector.get(id));
      const t = byRemote.get(id);
      if (r) { pulled++; await handle(r); } else if (t) await guard(id, () => reconcile(env, t, goneRemote(t, externalOf(t.file, kind)!, viewOf(t.file, schema))));
    }
  } else {
    for (let more = true; more;) {
      const page = await env.retry(() => connector.pull(cursor ?? undefined));
      for (const [i, r] of page.items.entries()) {
        ctx.progress(i + 1, page.items.length, `pull ${kind}`);
        await handle(r);
      }
      pulled += page.items.length;
      cursor = page.nextCursor;
      more = page.more;
    }
  }
  for (const r of deferred) {
    const t = byRemote.get(r.id);
    if (t) await guard(r.key, () => reconcile(env, t, r, true));
  }

  // 3. Push local changes: mapped tickets edited since their base, and new tickets.
  if (!o.only) {
    // Parents before children, so a new child can name its parent's new remote issue.
    const depth = (t: LocalTicket) => { let d = 0; for (let p = viewOf(t.file, schema).parent; p && d < 50; p = tickets.get(p) ? viewOf(tickets.get(p)!.file, schema).parent : null) d++; return d; };
    const rest = [...tickets.values()].filter((t) => !done.has(t.id)).sort((a, b) => depth(a) - depth(b));
    for (const [i, t] of rest.entries()) {
      ctx.progress(i + 1, rest.length, `push ${kind}`);
      const ref = externalOf(t.file, kind);
      await guard(t.id, async () => {
        if (!ref) {
          if (!t.archived) await exportLocal(env, t);
          const made = externalOf(t.file, kind);
          if (made) byRemote.set(made.id, t);
          return;
        }
        const base = cs.base(kind, t.id);
        if (base && base.remoteId === ref.id && sameView(viewOf(t.file, schema), base.view) && !t.archived) return;
        const r = await env.retry(() => connector.get(ref.id));
        await reconcile(env, t, r ?? goneRemote(t, ref, viewOf(t.file, schema)));
      });
    }
  }

  // 4. Deleted locally: archive remotely (never a hard delete), then forget the base.
  if (!o.only) {
    for (const [remoteId, id] of deletedHere) {
      await guard(`archive ${id}`, async () => {
        const r = await env.retry(() => connector.get(remoteId));
        if (r && !r.archived && !r.deleted) {
          await env.retry(() => connector.archive(remoteId));
          stats.remoteWrites++;
          stats.remoteUpdated++;
        }
        cs.dropBase(kind, id);
      });
    }
  }

  for (const u of users.unknown) stats.errors.push(`unmapped user: ${u} (add it with \`tack connect ${kind} --user TACK=REMOTE\`)`);
  const lastSync = new Date().toISOString();
  const prev = cs.get(kind).state;
  cs.updateState(kind, { cursor: cursor ?? undefined, lastSync, lastError: stats.errors[0] ?? null, errors: stats.errors, conflicts: prev.conflicts + stats.conflicts });
  return { connection: kind, scope: conn.config.scope, pulled, cursor, lastSync, ...stats };
}
