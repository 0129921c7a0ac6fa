import type { Schema } from '../../model/schema.js';
import type { OpContext } from '../../ops/op.js';
import type { Connector, ConnectorKind } from '../connector.js';
import type { BaseSnapshot, ConnectionStore } from './connectionStore.js';
import type { PlanEntry, SyncPlan } from './dryRun.js';
import type { RefMap, UserMap } from './localView.js';
import { commitTicket, commitTickets, type TicketWrite } from './localTickets.js';

/** The op name a connector's commits carry (`Tack-Op: sync-github`). */
const syncOp = (kind: ConnectorKind) => `sync-${kind}`;

/** What a pass did, for `tack sync` and `tack connections`. */
export interface PassStats {
  localCreated: number;
  localUpdated: number;
  remoteCreated: number;
  remoteUpdated: number;
  commentsPushed: number;
  conflicts: number;
  commits: string[];
  remoteWrites: number;
  errors: string[];
  /** Written anyway, with something left out (an assignee the service does not know). */
  warnings: string[];
}

export interface PassEnv {
  ctx: OpContext;
  kind: ConnectorKind;
  connector: Connector;
  cs: ConnectionStore;
  schema: Schema;
  users: UserMap;
  refs: RefMap;
  stats: PassStats;
  retry: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Service users a write was refused for in this pass: left out of later writes at once. */
  rejectedUsers: Set<string>;
  /** A dry run: local changes are listed here instead of committed (see dryRun.ts). */
  plan?: SyncPlan;
  /** New tickets from remote items, committed together (`flushImports`); bases saved after. */
  imports: { writes: TicketWrite[]; bases: Array<[string, BaseSnapshot]>; subjects: string[] };
}

/** Imports per commit: a first sync of thousands of issues makes a few dozen commits. */
export const importBatchSize = (): number => Math.max(1, Number(process.env.TACK_SYNC_BATCH ?? 200) || 200);

/**
 * Commit the imports gathered so far in one commit, then record their bases: a crash
 * before the commit leaves no base, so the next pass imports them again (a base without
 * its ticket would read as "deleted here" and the issue would never come in).
 */
export async function flushImports(env: PassEnv): Promise<void> {
  const { writes, bases } = env.imports;
  if (writes.length === 0) return;
  const first = env.imports.subjects[0];
  env.imports = { writes: [], bases: [], subjects: [] };
  const subject = writes.length === 1 ? first : `sync ${env.kind}: import ${writes.length} issues`;
  const commit = await commitTickets(env.ctx, syncOp(env.kind), subject, writes, (m) => env.stats.warnings.push(m));
  if (commit) env.stats.commits.push(commit);
  for (const [id, b] of bases) env.cs.saveBase(env.kind, id, b);
}

/** Commit one ticket's change, or in a dry run list it (`entry` null: bookkeeping only). */
export async function commitLocal(env: PassEnv, subject: string, w: TicketWrite, entry: PlanEntry | null) {
  if (!env.plan) {
    await flushImports(env); // in order: a change to a ticket lands after its import
    return commitTicket(env.ctx, syncOp(env.kind), subject, w, (m) => env.stats.warnings.push(m));
  }
  if (entry) env.plan.local.push(entry);
  return null;
}
