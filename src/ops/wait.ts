import { monotonicMs } from '../model/monotonic.js';
import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { CATEGORIES } from '../model/schema.js';
import type { TicketSummary } from '../index/queries.js';
import { watchRefs } from '../store/refWatch.js';
import { defineOp, type OpContext } from './op.js';
import { lazyShape, ticketSummaryShape } from '../model/jsonShapes.js';
import { runOp } from './runOp.js';
import { type Condition, type Held, waitConditions, type WaitFor } from './waitConditions.js';
import { timeoutMs } from './waitTimeout.js';

/**
 * Re-tests when no watcher spoke (missed events, network filesystems), backing off to 8 s.
 * After a ref moved the series starts over at 250 ms: an inline or mounted store's files
 * are written just after its ref moves, and the index reads them over the commit.
 */
const TICK_MS = [250, 1000, 2000, 4000, 8000];
/** With --sync: fetch now, then after 5 s, doubling to once a minute. */
const SYNC_MS = [5000, 10_000, 20_000, 40_000, 60_000];

export const waitResultShape = lazyShape(() =>
  z.strictObject({
    /** The condition that held (the first, when several did); null when the wait timed out. */
    held: z.enum(['state', 'category', 'answered', 'reviewed', 'ready']).nullable(),
    timedOut: z.boolean(),
    ticket: ticketSummaryShape().nullable(),
    /** What the waiter needs next: the answer, the verdict, the state reached, the ready tickets. */
    detail: z.record(z.string(), z.unknown()),
    waitedMs: z.number(),
    timeoutMs: z.number(),
    /** The surface cut the timeout asked for to its own bound (MCP, REST): call again to go on waiting. */
    capped: z.boolean(),
    /** With --sync: rounds made, and the last one's error if it failed (the wait goes on). */
    syncs: z.number(),
    syncError: z.string().nullable(),
    message: z.string(),
  }),
);

export type WaitResult = z.infer<ReturnType<typeof waitResultShape>>;

/** Sleeps until poked (a ref moved), `ms` pass, or the caller gives up; a poke while awake is kept. */
function alarm() {
  let wake: (() => void) | null = null;
  let poked = false;
  return {
    poke() {
      if (wake) wake();
      else poked = true;
    },
    /** Resolves true when woken by a poke, false when the time passed or the caller gave up. */
    sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
      if (poked || signal?.aborted) {
        const was = poked;
        poked = false;
        return Promise.resolve(was);
      }
      return new Promise((resolve) => {
        const done = (byPoke: boolean) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          wake = null;
          resolve(byPoke);
        };
        const onAbort = () => done(false);
        const timer = setTimeout(() => done(false), ms);
        signal?.addEventListener('abort', onAbort, { once: true });
        wake = () => done(true);
      });
    },
  };
}

async function readyHeld(ctx: OpContext, audience: 'agent' | 'human' | undefined): Promise<Held | null> {
  const items = await runOp<TicketSummary[]>(ctx, 'ready', { for: audience, limit: 3 });
  if (!items.length) return null;
  return { condition: 'ready', ticket: items[0], detail: { tickets: items } };
}

function describe(h: Held): string {
  const t = h.ticket;
  const id = t?.short_id || t?.id;
  const d = h.detail;
  if (h.condition === 'state') return `${id} is ${d.state}`;
  if (h.condition === 'category') return `${id} reached ${d.category} (${d.state})`;
  if (h.condition === 'answered') return `${id} was answered by ${d.answered_by}: ${String(d.answer).split('\n')[0]}`;
  if (h.condition === 'reviewed') return `${id} was reviewed: ${d.verdict ?? 'no verdict'} (now ${d.state})`;
  return `ready: ${(d.tickets as TicketSummary[]).map((x) => `${x.short_id || x.id} ${x.title}`).join('; ')}`;
}

interface SyncState {
  syncs: number;
  syncError: string | null;
  next: number;
}

/** One `tack sync` round of a `--sync` wait; a failure is reported, never fatal. */
async function syncRound(ctx: OpContext, st: SyncState): Promise<void> {
  try {
    const report = await runOp<{ remote: string | null; message: string }>(ctx, 'sync', {});
    // No remote is no error for `sync`, but this wait will see no other clone.
    st.syncError = report.remote === null ? report.message : null;
  } catch (e) {
    st.syncError = e instanceof Error ? e.message : String(e);
  }
  st.next = monotonicMs() + SYNC_MS[Math.min(st.syncs++, SYNC_MS.length - 1)];
}

type WaitInput = WaitFor & { ready?: boolean; for?: 'agent' | 'human'; sync?: boolean };

/** Test, and sleep until a ref moves or the next re-test, until something holds or time is up. */
async function waitLoop(
  ctx: OpContext,
  input: WaitInput,
  conditions: Condition[],
  bell: ReturnType<typeof alarm>,
  time: { asked: number; limit: number },
): Promise<WaitResult> {
  const started = monotonicMs();
  const st: SyncState = { syncs: 0, syncError: null, next: started };
  let tick = 1;
  for (;;) {
    if (input.sync && monotonicMs() >= st.next) await syncRound(ctx, st);
    const db = (await ctx.index()).db;
    const held =
      conditions.map((c) => c.test(db)).find((h) => h) ?? (input.ready ? await readyHeld(ctx, input.for) : null);
    const left = started + time.limit - monotonicMs();
    if (held || left <= 0 || ctx.signal?.aborted) {
      const capped = time.limit < time.asked;
      const secs = time.limit / 1000;
      return {
        held: held?.condition ?? null,
        timedOut: !held,
        ticket: held?.ticket ?? null,
        detail: held?.detail ?? {},
        waitedMs: Math.round(monotonicMs() - started),
        timeoutMs: time.limit,
        capped,
        syncs: st.syncs,
        syncError: st.syncError,
        message: held
          ? describe(held)
          : `nothing held within ${secs}s${capped ? `; this surface waits at most ${secs}s per call: call wait again` : ''}`,
      };
    }
    let nap = Math.min(left, TICK_MS[Math.min(tick, TICK_MS.length - 1)]);
    if (input.sync) nap = Math.min(nap, Math.max(0, st.next - monotonicMs()));
    tick = (await bell.sleep(nap, ctx.signal)) ? 0 : tick + 1;
  }
}

const NEEDS_CONDITION =
  'tack wait needs a condition: ID --state S (or --category C), --answered ID, --reviewed ID, or --ready';

export default defineOp({
  name: 'wait',
  summary: 'Block until a ticket reaches a state, a question is answered, a review is decided or ready work appears',
  kind: 'read',
  postOnly: ['sync'],
  cli: {
    args: ['id'],
    notes: [
      'Examples: tack wait ID --category completed   tack wait --answered ID --timeout 30m',
      '          tack wait --reviewed ID --sync        tack wait --ready --for agent',
      'Several conditions may be given: the first that holds ends the wait.',
      'Exit status: 0 when a condition held, 124 when the timeout passed first (the answer says timedOut: true),',
      '2 for bad input, 3 for an unknown ticket. Without --sync only this clone is watched (its refs, no polling);',
      'with --sync, changes pushed from other clones are fetched at growing intervals (5 s up to 1 min).',
    ].join('\n'),
  },
  input: z.object({
    id: z.string().min(1).optional().describe('ticket whose state to wait for'),
    state: z.string().min(1).optional().describe('until id is in this state'),
    category: z.enum(CATEGORIES).optional().describe("until the ticket's state is in this category"),
    answered: z.string().min(1).optional().describe('until its question is answered'),
    reviewed: z.string().min(1).optional().describe('until this work is reviewed'),
    ready: z.boolean().optional().describe('until work is ready for you'),
    for: z.enum(['agent', 'human']).optional().describe('audience, with ready'),
    timeout: z
      .union([z.number(), z.string()])
      .optional()
      .describe('seconds (default 600, max 86400; 0: test once) or 5m'),
    sync: z.boolean().optional().describe('also fetch from the remote now and then, to see other clones'),
  }),
  output: waitResultShape,
  async run(ctx, input): Promise<WaitResult> {
    const asked = timeoutMs(input.timeout);
    const limit = ctx.maxWaitMs === undefined ? asked : Math.min(asked, ctx.maxWaitMs);
    const conditions = waitConditions((await ctx.index()).db, input);
    if (!conditions.length && !input.ready) throw new TackError('invalid_input', NEEDS_CONDITION);
    if (input.for && !input.ready)
      throw new TackError('invalid_input', '--for goes with --ready: whose work to wait for');
    const bell = alarm();
    const watcher = watchRefs(ctx.store(), bell.poke);
    try {
      return await waitLoop(ctx, input, conditions, bell, { asked, limit });
    } finally {
      watcher.close();
    }
  },
});
