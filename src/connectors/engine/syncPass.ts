import { join } from 'node:path';
import type { OpContext } from '../../ops/op.js';
import { ConnectorError, type Connector, type ConnectorKind, type RemoteIssue } from '../connector.js';
import { ConnectionStore, type Connection } from './connectionStore.js';
import { makeConnector, resolveCredentials } from './factories.js';
import { sameView, userMap, viewOf } from './localView.js';
import { externalOf, loadLocal, type LocalTicket } from './localTickets.js';
import { adopt, exportLocal } from './exportLocal.js';
import { importRemote } from './importRemote.js';
import { flushImports, type PassEnv, type PassStats } from './passEnv.js';
import { goneRemote, reconcile } from './reconcile.js';
import { KeyedQueue, withRetry } from './retry.js';
import { ReconciliationTally, type Reconciliation } from './reconciliationTally.js';
import { withPassLock } from './passLock.js';
import { DryConnectionStore, dryConnector, emptyPlan, type SyncPlan } from './dryRun.js';
import { syncFilterSchema, ticketsInScope } from './syncScope.js';
import { inPullScope, savedPullFilter, type PullFilter } from './pullScope.js';

export interface SyncResult extends PassStats {
  connection: ConnectorKind;
  scope: string;
  pulled: number;
  cursor: string | null;
  lastSync: string;
  /** Every remote item this pass read: mirrored, left out on purpose, or missing (and why in `errors`). */
  reconciliation: Reconciliation;
  /** Tickets the connection's filter kept from going out (never created remotely). */
  outOfScope: number;
  /** A dry run: nothing was written; `plan` lists what a pass would create, update and close. */
  dryRun?: true;
  plan?: SyncPlan;
}

export interface PassOptions {
  /** Only these remote issues (a webhook): no cursor pull, no export of other tickets. */
  only?: string[];
  /** A connector built already (live mode keeps one). */
  connector?: Connector;
  /** Read everything, write nothing (no commits, no remote writes, no saved state): report the plan. */
  dryRun?: boolean;
}

/** Every write to one connection's tickets goes through here, one at a time per process. */
const queue = new KeyedQueue();

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * One sync pass of a connection: recover, pull, merge, push. Serialized per connection
 * (in the process by a queue, across processes by a lock file).
 */
export function syncPass(ctx: OpContext, kind: ConnectorKind, o: PassOptions = {}): Promise<SyncResult> {
  return queue.run(`${ctx.cwd}:${kind}`, async () => {
    const cs = o.dryRun ? new DryConnectionStore(ctx.store()) : new ConnectionStore(ctx.store());
    try {
      return await withPassLock(join(cs.dir, 'connectors', kind, 'sync.lock'), async () => {
        const conn = cs.get(kind);
        const real = o.connector ?? (await makeConnector(conn.config, resolveCredentials(kind, cs.credentials(kind))));
        const plan = o.dryRun ? emptyPlan() : undefined;
        const connector = plan ? dryConnector(real, plan) : real;
        const { tickets, schema } = await loadLocal(ctx);
        const filter = conn.config.filter ? syncFilterSchema.parse(conn.config.filter) : null;
        const scope = filter ? await ticketsInScope(ctx, filter) : null;
        const inbound = savedPullFilter(kind, conn.config.pullFilter);
        const pass = new Pass(ctx, kind, conn, cs, connector, tickets, schema, { scope, inbound }, plan);
        const r = await pass.run(o);
        return plan ? { ...r, dryRun: true as const, plan } : r;
      });
    } catch (e) {
      // The pass failed as a whole (the pull, credentials): `tack connections` shows why.
      try {
        cs.updateState(kind, { lastError: describe(e) });
      } catch {
        /* no connection */
      }
      throw e;
    }
  });
}

class Pass {
  private readonly env: PassEnv;
  private readonly stats: PassStats = {
    localCreated: 0,
    localUpdated: 0,
    remoteCreated: 0,
    remoteUpdated: 0,
    commentsPushed: 0,
    conflicts: 0,
    commits: [],
    remoteWrites: 0,
    errors: [],
    warnings: [],
  };
  private readonly byRemote = new Map<string, LocalTicket>();
  /** Remote ids a create would use (client ids): issues another clone made for our tickets. */
  private readonly byClientId = new Map<string, LocalTicket>();
  /** Tickets synced before and deleted here since, by remote id: archived remotely, never re-imported. */
  private readonly deletedHere = new Map<string, string>();
  /** Remote ids of tickets deleted here whose remote issue is archived already: never imported. */
  private readonly buried = new Set<string>();
  /** Tickets this pass has handled already. */
  private readonly done = new Set<string>();
  /** Issues whose parent or relation targets were not synced yet: merged again at the end. */
  private readonly deferred: RemoteIssue[] = [];
  /** Issues whose merge failed once: tried again at the end, reported if that fails too. */
  private readonly failed: RemoteIssue[] = [];
  private pullFailed = false;
  private outOfScope = 0;
  /** The cursor as last saved (at the start of the pass, or after a page). */
  private savedCursor: string | null;
  private readonly tally = new ReconciliationTally();

  constructor(
    private readonly ctx: OpContext,
    private readonly kind: ConnectorKind,
    private readonly conn: Connection,
    private readonly cs: ConnectionStore,
    private readonly connector: Connector,
    private readonly tickets: Map<string, LocalTicket>,
    schema: PassEnv['schema'],
    /** Ticket ids the connection's filter lets out, and which remote items come in; null: all. */
    private readonly scope: { scope: Set<string> | null; inbound: PullFilter | null },
    plan?: SyncPlan,
  ) {
    const refs = {
      toLocal: (remoteId: string) => this.byRemote.get(remoteId)?.id,
      toRemote: (localId: string) => {
        const t = tickets.get(localId);
        return t ? externalOf(t.file, kind)?.id : undefined;
      },
      writesParent: connector.writesParent === true,
    };
    this.env = {
      ctx,
      kind,
      connector,
      cs,
      schema,
      users: userMap(conn.config.users),
      refs,
      stats: this.stats,
      retry: (fn) => withRetry(fn),
      rejectedUsers: new Set(),
      plan,
      imports: { writes: [], bases: [], subjects: [] },
    };
    for (const t of tickets.values()) {
      const ref = externalOf(t.file, kind);
      if (ref) this.byRemote.set(ref.id, t);
      else if (connector.remoteIdFor) this.byClientId.set(connector.remoteIdFor(t.id), t);
    }
    this.savedCursor = conn.state.cursor ?? null;
    for (const id of cs.bases(kind)) {
      const b = tickets.has(id) ? null : cs.base(kind, id);
      if (b?.tombstone) this.buried.add(b.remoteId);
      else if (b) this.deletedHere.set(b.remoteId, id);
    }
  }

  /** A pass over the whole change stream (not a webhook's few issues): its tally is the connection's. */
  private full = false;

  async run(o: PassOptions): Promise<SyncResult> {
    this.full = !o.only;
    await this.recover();
    const { pulled, cursor } = o.only ? await this.pullOnly(o.only) : await this.pullAll();
    // Second chance, once everything else is in: links to issues imported later in the
    // pass, and changes refused for the order they came in (a cycle another item breaks).
    const again = [...this.deferred, ...this.failed];
    this.deferred.length = 0;
    for (const r of again) if (!(await this.guard(r.key, () => this.process(r, true)))) this.pullFailed = true;
    await flushImports(this.env);
    if (!o.only) {
      await this.pushLocal();
      await this.archiveDeleted();
    }
    // An item that failed is pulled again next time: the cursor stays where it was.
    return this.finish(pulled, this.pullFailed ? this.savedCursor : cursor);
  }

  /** A ticket's failure is recorded and the pass goes on; programming errors still throw. */
  private async guard(what: string, fn: () => Promise<unknown>, record = true): Promise<boolean> {
    try {
      await fn();
      return true;
    } catch (e) {
      if (!(e instanceof ConnectorError) && !(e instanceof Error && 'code' in e)) throw e;
      if (record) this.stats.errors.push(`${what}: ${describe(e)}`);
      return false;
    }
  }

  /** 1. Creates a crash interrupted: the pending record says a remote issue may exist. */
  private async recover(): Promise<void> {
    for (const p of this.cs.pending(this.kind)) {
      const t = this.tickets.get(p.ticket);
      if (!t || externalOf(t.file, this.kind)) {
        this.cs.dropPending(this.kind, p.ticket);
        continue;
      }
      await this.guard(`recover ${p.ticket}`, async () => {
        const found = await this.env.retry(() => this.connector.findByMarker(p.ticket));
        if (!found) return this.cs.dropPending(this.kind, p.ticket); // never made: created again below
        await adopt(this.env, t, found);
        this.byRemote.set(found.id, t);
        this.done.add(t.id);
      });
    }
  }

  /** 2. Everything changed since the cursor, page by page. */
  private async pullAll(): Promise<{ pulled: number; cursor: string | null }> {
    let cursor = this.conn.state.cursor ?? null;
    let pulled = 0;
    for (let more = true; more; ) {
      const page = await this.env.retry(() => this.connector.pull(cursor ?? undefined));
      this.tally.skip(page.skipped ?? []);
      for (const [i, r] of page.items.entries()) {
        this.ctx.progress(i + 1, page.items.length, `pull ${this.kind}`);
        await this.handle(r);
      }
      pulled += page.items.length;
      cursor = page.nextCursor;
      more = page.more;
      await this.checkpoint(cursor);
    }
    return { pulled, cursor };
  }

  /**
   * After a page: its imports committed, and the cursor saved while every item so far is
   * in, so a pass cut short (a limit, a crash) resumes here instead of starting over.
   * An item that failed or waits for a link holds the cursor back, as at the end of a pass.
   */
  private async checkpoint(cursor: string): Promise<void> {
    await flushImports(this.env);
    if (this.env.plan || this.failed.length > 0 || this.deferred.length > 0) return;
    this.cs.updateState(this.kind, { cursor });
    this.savedCursor = cursor;
  }

  /** 2'. The issues a webhook named, as they are now (a vanished one counts as deleted). */
  private async pullOnly(ids: string[]): Promise<{ pulled: number; cursor: string | null }> {
    let pulled = 0;
    for (const id of ids) {
      const r = await this.env.retry(() => this.connector.get(id));
      const t = this.byRemote.get(id);
      if (r) {
        pulled++;
        await this.handle(r);
      } else if (t) {
        await this.guard(id, () =>
          reconcile(this.env, t, goneRemote(externalOf(t.file, this.kind)!, viewOf(t.file, this.env.schema))),
        );
      }
    }
    return { pulled, cursor: this.conn.state.cursor ?? null };
  }

  /** A pulled issue: merged now, or once more at the end of the pass if that fails. */
  private async handle(r: RemoteIssue): Promise<void> {
    this.tally.read(r.id, !!r.deleted);
    if (!(await this.guard(r.key, () => this.process(r, false), false))) this.failed.push(r);
  }

  /** Merge one pulled issue into its ticket, or import it as a new ticket. */
  private async process(r: RemoteIssue, force: boolean): Promise<void> {
    const t =
      this.byRemote.get(r.id) ?? this.byClientId.get(r.id) ?? (r.tackId ? this.tickets.get(r.tackId) : undefined);
    // An archived issue that carries the id of a Tack ticket this store does not have: that
    // ticket was deleted (here or in a clone whose deletion this one has pulled).
    const deleted =
      this.deletedHere.has(r.id) || this.buried.has(r.id) || (r.archived && r.tackId && !this.tickets.has(r.tackId));
    if (!t && deleted) return this.tally.decline(r.id);
    const { inbound } = this.scope;
    if (!t && inbound && !r.deleted && !inPullScope(this.kind, inbound, r)) {
      if (this.tally.leaveOut(r.id)) this.env.plan?.local.push({ action: 'skip', remote: r.key, title: r.title });
      return;
    }
    if (t) {
      this.done.add(t.id);
      if ((await reconcile(this.env, t, r, force)).unresolved) this.deferred.push(r);
      this.byRemote.set(r.id, t);
      return;
    }
    const imported = await importRemote(this.env, r);
    if (!imported) return;
    this.tickets.set(imported.ticket.id, imported.ticket);
    this.byRemote.set(r.id, imported.ticket);
    this.done.add(imported.ticket.id);
    if (imported.unresolved) this.deferred.push(r);
  }

  /** 3. Local changes: mapped tickets edited since their base, and new tickets (parents first). */
  private async pushLocal(): Promise<void> {
    const { schema } = this.env;
    const depth = (t: LocalTicket) => {
      let d = 0;
      for (let p = viewOf(t.file, schema).parent; p && d < 50; d++)
        p = this.tickets.has(p) ? viewOf(this.tickets.get(p)!.file, schema).parent : null;
      return d;
    };
    const rest = [...this.tickets.values()].filter((t) => !this.done.has(t.id)).sort((a, b) => depth(a) - depth(b));
    for (const [i, t] of rest.entries()) {
      this.ctx.progress(i + 1, rest.length, `push ${this.kind}`);
      const ref = externalOf(t.file, this.kind);
      await this.guard(t.id, async () => {
        if (!ref) {
          if (t.archived) return;
          if (this.scope.scope && !this.scope.scope.has(t.id)) return void this.outOfScope++;
          await exportLocal(this.env, t);
          const made = externalOf(t.file, this.kind);
          if (made) this.byRemote.set(made.id, t);
          return;
        }
        const base = this.cs.base(this.kind, t.id);
        if (
          base &&
          base.remoteId === ref.id &&
          sameView(viewOf(t.file, schema), base.view) &&
          !!base.archived === t.archived
        )
          return;
        const r = await this.env.retry(() => this.connector.get(ref.id));
        await reconcile(this.env, t, r ?? goneRemote(ref, viewOf(t.file, schema)));
      });
    }
  }

  /** 4. Deleted locally: archive remotely (never a hard delete), then forget the base. */
  private async archiveDeleted(): Promise<void> {
    for (const [remoteId, id] of this.deletedHere) {
      await this.guard(`archive ${id}`, async () => {
        const r = await this.env.retry(() => this.connector.get(remoteId));
        if (r && !r.archived && !r.deleted) {
          await this.env.retry(() => this.connector.archive(remoteId));
          this.stats.remoteWrites++;
          this.stats.remoteUpdated++;
        }
        const base = this.cs.base(this.kind, id);
        if (base) this.cs.saveBase(this.kind, id, { ...base, tombstone: true });
      });
    }
  }

  private finish(pulled: number, cursor: string | null): SyncResult {
    const { stats, kind, cs } = this;
    for (const u of this.env.users.unknown)
      stats.warnings.push(`unmapped user: ${u} (add it with \`tack connect ${kind} --user TACK=REMOTE\`)`);
    const lastSync = new Date().toISOString();
    const prev = cs.get(kind).state;
    const reconciliation = this.tally.count((id) => this.byRemote.has(id));
    const budget = this.connector.budget?.();
    cs.updateState(kind, {
      ...(this.full ? { reconciliation } : {}),
      ...(budget?.measuredAt ? { budget } : {}),
      cursor: cursor ?? undefined,
      lastSync,
      lastError: stats.errors[0] ?? null,
      errors: stats.errors,
      conflicts: prev.conflicts + stats.conflicts,
    });
    const { outOfScope } = this;
    return {
      connection: kind,
      scope: this.conn.config.scope,
      pulled,
      cursor,
      lastSync,
      ...stats,
      reconciliation,
      outOfScope,
    };
  }
}
