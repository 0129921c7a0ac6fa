import { z } from 'zod';
import { firstStateOf } from '../model/schema.js';
import { categoryOf, type Schema } from '../model/schema.js';
import type { DB } from '../index/indexDb.js';
import { schemaOf } from '../index/queries.js';
import { writeScanState } from '../store/scanState.js';
import { scanCode, type TicketLinks } from './codeLinks.js';
import { mutate } from './mutate.js';
import { defineOp, type OpContext } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { beginCommitScan } from '../store/commitScanGate.js';
import type { Store } from '../store/store.js';

/*
 * Link code commits to the tickets they mention (`commits`, `branches` in the ticket's
 * front matter) and complete the tickets a commit on the default branch closes
 * (`done_at`: the commit, `done_branch`: the branch). Ordinary Tack writes, so every
 * clone knows after a sync; idempotent, so a rescan changes nothing. The git hooks that
 * `tack hooks install` adds run this after every commit, merge, rewrite and checkout.
 */

export interface LinkOutcome {
  ticket: string;
  commits: string[];
  branches: string[];
  completed: { commit: string; branch: string } | null;
}

function asList(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
}

/** Thrown out of a write that found nothing left to do (another writer did it). */
class NothingNew extends Error {}

interface Plan {
  outcome: LinkOutcome;
  sets: Array<[string, unknown]>;
}

/**
 * What one ticket's links change, judged from the index (caught up to the head being
 * edited): only what is new, so a rescan writes nothing and touches no `updated`.
 */
function planLinks(db: DB, schema: Schema, id: string, l: TicketLinks): Plan | null {
  const row = db.prepare<{ fields: string; status: string }>('SELECT fields, status FROM tickets WHERE id = ?').get(id);
  if (!row) return null;
  const fields = JSON.parse(row.fields) as Record<string, unknown>;
  const out: LinkOutcome = { ticket: id, commits: [], branches: [], completed: null };
  const sets: Array<[string, unknown]> = [];
  const commits = asList(fields.commits);
  out.commits = l.commits.filter((c) => !commits.includes(c));
  if (out.commits.length) sets.push(['commits', [...commits, ...out.commits]]);
  const branches = asList(fields.branches);
  out.branches = l.branches.filter((b) => !branches.includes(b));
  if (out.branches.length) sets.push(['branches', [...branches, ...out.branches]]);
  if (l.close && String(fields.done_at ?? '') !== l.close.commit) {
    const category = categoryOf(schema, row.status);
    const open = category !== 'completed' && category !== 'canceled';
    // A ticket closed by hand keeps its state; it only learns where the work landed.
    if (open || (category === 'completed' && !fields.done_at)) {
      if (open) sets.push(['status', firstStateOf(schema, 'completed') ?? row.status]);
      sets.push(['done_at', l.close.commit], ['done_branch', l.close.branch]);
      out.completed = l.close;
    }
  }
  return sets.length ? { outcome: out, sets } : null;
}

function planAll(db: DB, links: Map<string, TicketLinks>): Plan[] {
  const schema = schemaOf(db);
  return [...links].map(([id, l]) => planLinks(db, schema, id, l)).filter((p): p is Plan => p !== null);
}

export default defineOp({
  name: 'commits-scan',
  summary:
    'Link new code commits to the tickets they mention; complete tickets that commits on the default branch close',
  kind: 'write',
  input: z.object({
    all: z
      .boolean()
      .optional()
      .describe('rescan every branch from the start, not only commits new since the last scan'),
    hook: z
      .boolean()
      .optional()
      .describe('run by a git hook: nothing to do when another scan is already waiting to run'),
  }),
  output: lazyShape(() =>
    z.strictObject({
      default_branch: z.string().nullable(),
      scanned: z.number(),
      linked: z.array(
        z.strictObject({
          ticket: z.string(),
          commits: z.array(z.string()),
          branches: z.array(z.string()),
          completed: z.strictObject({ commit: z.string(), branch: z.string() }).nullable(),
        }),
      ),
      commit: z.string().nullable(),
      coalesced: z.boolean().optional(),
    }),
  ),
  async run(ctx, input) {
    const store = ctx.store();
    const release = beginCommitScan(store.repo, input.hook === true);
    // A scan waiting behind the running one will see this commit too.
    if (!release) return { default_branch: null, scanned: 0, linked: [], commit: null, coalesced: true };
    try {
      return await scanAndLink(ctx, store, input.all === true);
    } finally {
      release();
    }
  },
});

async function scanAndLink(ctx: OpContext, store: Store, all: boolean) {
  const idx = await ctx.index();
  const scan = scanCode(store, idx.db, [schemaOf(idx.db).idPrefix], all);
  let commit: string | null = null;
  let changed: LinkOutcome[] = [];
  if (planAll(idx.db, scan.links).length) {
    const res = await mutate(ctx, 'commits-scan', (ed) => {
      const plans = planAll(ed.index.db, scan.links);
      // Another writer linked them first: an empty commit would only add noise.
      if (plans.length === 0) throw new NothingNew();
      for (const p of plans) for (const [k, v] of p.sets) ed.set(p.outcome.ticket, k, v);
      const outs = plans.map((p) => p.outcome);
      const done = outs.filter((o) => o.completed).map((o) => `${o.ticket} done at ${o.completed!.commit}`);
      const subject = `link commits to ${outs.map((o) => o.ticket).join(', ')}${done.length ? `; ${done.join(', ')}` : ''}`;
      return { subject, value: outs };
    }).catch((e: unknown) => {
      if (e instanceof NothingNew) return { commit: null, value: [] as LinkOutcome[] };
      throw e;
    });
    commit = res.commit;
    changed = res.value;
  }
  writeScanState(store.repo, { tips: scan.tips });
  return { default_branch: scan.defaultBranch, scanned: scan.scanned, linked: changed, commit };
}
