import { leanWhileBuilding } from '../index/leanBuild.js';
import { listedRows, listTickets, type TicketSummary } from '../index/queries.js';
import { editorEnv, type Applied, type ApplyEnv } from './applyEnv.js';
import { mutate } from './mutate.js';
import type { OpContext } from './op.js';
import type { TicketEditor } from './ticketEditor.js';
import { RowList } from './rowList.js';

/**
 * From this many tickets on, a write runs lean: a batch of tickets is all it holds
 * (TicketEditor.each), yet V8's heuristics let the garbage of 34,000 edited tickets pile up
 * to a heap of ~230 MiB between collections, and the index's memory map counts every page
 * the write's rows and its answer touch.
 */
const LEAN_FROM = 1_000;

/**
 * How far past what it keeps alive a bulk edit's heap grows before V8 collects it: a build's
 * 30 % let a close of 34,000 tickets at 100,000 peak at ~155 MiB, 15 % at ~148, its time
 * within the noise (bench/README.md, "The git process behind a bulk edit").
 */
const EDIT_HEAP_GROWING_PERCENT = 15;

/** Run a write of `count` tickets, lean when they are many (leanWhileBuilding: the index read unmapped, V8 collecting sooner). */
export async function editingMany<T>(ctx: OpContext, count: number, run: () => Promise<T>): Promise<T> {
  if (count < LEAN_FROM) return run();
  const restore = leanWhileBuilding((await ctx.index()).db, EDIT_HEAP_GROWING_PERCENT);
  try {
    return await run();
  } finally {
    restore();
  }
}

/**
 * A write of `count` named tickets as one commit (`op` its Tack-Op), answered with the rows of
 * the tickets `apply` changed: `label add` and `label rm`.
 */
export function ticketsWrite(
  ctx: OpContext,
  op: string,
  count: number,
  apply: (ed: TicketEditor, env: ApplyEnv) => Applied<unknown>,
) {
  return editingMany(ctx, count, async () => {
    const { commit, value: ids } = await mutate(ctx, op, (ed) => {
      const applied = apply(ed, editorEnv(ed, ctx));
      return { subject: applied.subject, value: applied.ids };
    });
    return { tickets: await changedTickets(ctx, ids), commit };
  });
}

/**
 * The rows of the tickets a write changed, its answer: read as they are written when the
 * surface streams them (the CLI), lean when they are many, as the write was.
 */
export async function changedTickets(
  ctx: OpContext,
  ids: readonly string[],
): Promise<TicketSummary[] | RowList<TicketSummary>> {
  const { db } = await ctx.index();
  const filter = { ids: [...ids], all: true };
  if (!ctx.streamRows) return listTickets(db, filter);
  return new RowList(function* () {
    const restore = ids.length < LEAN_FROM ? null : leanWhileBuilding(db);
    try {
      yield* listedRows(db, filter);
    } finally {
      restore?.();
    }
  });
}
