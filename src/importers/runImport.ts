import { catchUp, commitWrite } from '../ops/mutate.js';
import type { OpContext } from '../ops/op.js';
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
  /** Source id → Tack id, for every record. */
  tickets: Array<Pick<PlannedTicket, 'key' | 'id' | 'action'>>;
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
  const store = ctx.store();
  const idx = await ctx.index();
  const progress = (done: number, total: number, label: string) => ctx.progress(done, total, label);
  let plan: ImportPlan;
  let commit: string | null = null;
  if (opts.dryRun) {
    catchUp(idx);
    plan = planImport({
      store,
      idx,
      head: idx.commit,
      source,
      progress,
      now: ctx.now(),
      closeMissing: opts.closeMissing,
    });
  } else {
    try {
      const res = await commitWrite(ctx, (head) => {
        const p = planImport({ store, idx, head, source, progress, now: ctx.now(), closeMissing: opts.closeMissing });
        // Nothing to write: leave the pipeline without making an empty commit.
        if (p.changeSet.changes.length === 0) throw new NothingToWrite(p);
        return { changeSet: p.changeSet, value: p };
      });
      plan = res.value;
      commit = res.commit;
    } catch (e) {
      if (!(e instanceof NothingToWrite)) throw e;
      plan = e.plan;
    }
  }
  const n = countActions(plan.tickets);
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
  };
}
