import { catchUp, commitWrite } from '../ops/mutate.js';
import type { OpContext } from '../ops/op.js';
import { leanHeap } from '../index/leanBuild.js';
import { countActions, planImport, type ImportPlan, type PlannedTicket } from './importPlan.js';
import type { ImportSource, Skipped } from './importRecord.js';

export interface ImportSummary {
  kind: string;
  source: string;
  dry_run: boolean;
  commit: string | null;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Tickets an earlier import of this source made that it no longer holds. */
  missing: number;
  missing_tickets: Array<{ key: string; id: string }>;
  /** Of those, the ones this import closed (canceled, never removed): all of them with `--close-missing`, else none. */
  closed: number;
  closed_tickets: Array<{ key: string; id: string }>;
  skipped: Skipped[];
  schema: string[];
  warnings: string[];
  /** Store docs the source brought (docs/…): created, updated, unchanged. */
  docs: Record<PlannedTicket['action'], number>;
  /** Source id → Tack id, for the first 100 records (TICKETS_SHOWN); each ticket also keeps its source id as an alias. */
  tickets: Array<Pick<PlannedTicket, 'key' | 'id' | 'action'>>;
  /** Records not listed in `tickets` (counted in created, updated and unchanged). */
  tickets_omitted: number;
}

async function planAndCommit(
  ctx: OpContext,
  source: ImportSource,
  opts: { dryRun?: boolean; closeMissing?: boolean },
): Promise<{ plan: ImportPlan; commit: string | null }> {
  const store = ctx.store();
  const idx = await ctx.index();
  const progress = (done: number, total: number, label: string) => ctx.progress(done, total, label);
  const at = (head: string | null) => ({
    store,
    idx,
    head,
    source,
    progress,
    now: ctx.now(),
    closeMissing: opts.closeMissing,
  });
  if (opts.dryRun) {
    catchUp(idx);
    return { plan: planImport(at(idx.commit)).plan, commit: null };
  }
  try {
    const res = await commitWrite(ctx, (head) => {
      const p = planImport(at(head));
      // Nothing to write: leave the pipeline without making an empty commit.
      if (p.changeSet.changes.length === 0) throw new NothingToWrite(p.plan);
      return { changeSet: p.changeSet, value: p.plan };
    });
    return { plan: res.value, commit: res.commit };
  } catch (e) {
    if (!(e instanceof NothingToWrite)) throw e;
    return { plan: e.plan, commit: null };
  }
}

class NothingToWrite extends Error {
  constructor(readonly plan: ImportPlan) {
    super('nothing to write');
  }
}

/**
 * Run an import as ONE commit through the write pipeline every operation uses
 * (ops/mutate.commitWrite): the plan is computed from the current head (again, if another
 * writer moves the ref first), so a failure anywhere changes nothing, and an import of
 * unchanged data makes no commit at all.
 */
export async function runImport(
  ctx: OpContext,
  source: ImportSource,
  where: string,
  opts: { dryRun?: boolean; closeMissing?: boolean } = {},
): Promise<ImportSummary> {
  // Each record is read, planned and packed once: little of it stays (leanBuild.ts).
  const restore = leanHeap();
  let done: { plan: ImportPlan; commit: string | null };
  try {
    done = await planAndCommit(ctx, source, opts);
  } finally {
    restore();
  }
  const { plan, commit } = done;
  const n = plan.counts;
  return {
    kind: source.kind,
    source: where,
    dry_run: opts.dryRun === true,
    commit,
    total: source.records.length,
    created: n.create,
    updated: n.update,
    unchanged: n.unchanged,
    missing: plan.closed.length,
    missing_tickets: plan.closed,
    closed: plan.closing ? plan.closed.length : 0,
    closed_tickets: plan.closing ? plan.closed : [],
    skipped: source.skipped,
    schema: plan.schemaNotes,
    warnings: [...source.warnings, ...plan.warnings],
    docs: countActions(plan.docs),
    tickets: plan.tickets,
    tickets_omitted: source.records.length - plan.tickets.length,
  };
}
