import { z } from 'zod';
import { waitingStates } from '../model/schema.js';
import { refreshClaims } from '../index/claims.js';
import type { DB } from '../index/indexDb.js';
import { expiredClaims, listTickets, readyTickets, schemaOf, type TicketSummary } from '../index/queries.js';
import { ANSWER, QUESTION, REVIEW_MARK, SUBMITTED } from './agentShared.js';
import { primeText, type PrimeLine } from './primeText.js';
import { liveReservationsHere } from './reservationsShared.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

const line = (t: TicketSummary, note?: string): PrimeLine => ({
  id: t.short_id || t.id,
  title: t.title,
  status: t.status,
  ...(note ? { note } : {}),
});

/**
 * What came back to `me` on these tickets: the last marked comment is an answer to a question
 * `me` asked, or the rejection of work `me` submitted. Only while the ticket waits to be
 * picked up again (not started): taking it back is reading it.
 */
function responses(db: DB, me: string, tickets: TicketSummary[]): Map<string, string> {
  const q = db.prepare<{ author: string | null; body: string | null }>(
    'SELECT author, body FROM comments WHERE ticket = ? ORDER BY created, seq',
  );
  const out = new Map<string, string>();
  for (const t of tickets) {
    if (t.category !== 'unstarted' && t.category !== 'backlog') continue;
    const marked = q
      .all(t.id)
      .filter((c) => [QUESTION, ANSWER, REVIEW_MARK, SUBMITTED].some((m) => c.body?.startsWith(m)));
    const last = marked.at(-1);
    const prev = marked.at(-2);
    if (!last?.body || !prev?.body || prev.author !== me) continue;
    if (last.body.startsWith(ANSWER) && prev.body.startsWith(QUESTION)) out.set(t.id, `answered by ${last.author}`);
    else if (last.body.startsWith(`${REVIEW_MARK}rejected`) && prev.body.startsWith(SUBMITTED))
      out.set(t.id, `rejected by ${last.author}`);
  }
  return out;
}

/** Orientation for an agent starting a session: ≤ 2 KB, what to do next and how. */
export default defineOp({
  name: 'prime',
  summary: 'Short orientation for an agent session: what is ready, what you hold, the commands (≤ 2 KB)',
  kind: 'read',
  input: z.object({}),
  output: lazyShape(() => {
    const line = z.strictObject({ id: z.string(), title: z.string(), status: z.string(), note: z.string().optional() });
    return z.strictObject({
      user: z.string(),
      ready: z.array(line),
      mine: z.array(line),
      claims: z.array(line),
      waiting_on_me: z.array(line),
      responses: z.array(line).optional(),
      reserved: z.array(z.string()).optional(),
      reserved_by_others: z.number().optional(),
      ready_all: z.boolean().optional(),
      text: z.string(),
    });
  }),
  async run(ctx) {
    const idx = await ctx.index();
    await refreshClaims(idx);
    const db = idx.db;
    const me = ctx.user();
    const now = ctx.now();
    const schema = schemaOf(db);
    const audience = schema.fields.some((f) => f.name === 'audience') ? ('agent' as const) : undefined;
    let ready = readyTickets(db, { me, limit: 12, audience, claims: { me, now } });
    const readyAll = ready.length === 0 || !audience;
    if (ready.length === 0 && audience) ready = readyTickets(db, { me, limit: 12, claims: { me, now } });
    const held = new Map(
      db
        .prepare<{
          ticket: string;
          expires: string;
        }>('SELECT ticket, expires FROM claims WHERE owner = ? AND expires > ? ORDER BY ticket')
        .all(me, now)
        .map((r) => [r.ticket, r.expires]),
    );
    const claims = held.size ? listTickets(db, { ids: [...held.keys()], all: true }) : [];
    const waiting = new Set(waitingStates(schema));
    const assigned = listTickets(db, { assignee: [me], limit: 20 });
    const live = liveReservationsHere(ctx);
    const answered = responses(db, me, assigned);
    // Each ticket once, in the first section it belongs to.
    const shown = new Set<string>();
    const take = (ts: TicketSummary[]) => ts.filter((t) => !shown.has(t.id) && shown.add(t.id));
    const responded = take(assigned.filter((t) => answered.has(t.id))).map((t) => line(t, answered.get(t.id)));
    const claimLines = take(claims).map((t) => line(t, `claim until ${held.get(t.id)}`));
    const waitingLines = take(assigned.filter((t) => waiting.has(t.status))).map((t) => line(t));
    const mine = take(assigned.filter((t) => !waiting.has(t.status))).map((t) => line(t));
    const offered = take(ready).slice(0, 6);
    const expired = expiredClaims(
      db,
      offered.map((t) => t.id),
      now,
    );
    const data = {
      user: me,
      ready_all: readyAll,
      ready: offered.map((t) => {
        const e = expired.get(t.id);
        return line(t, e && `claim of ${e.owner} expired at ${e.expires}`);
      }),
      claims: claimLines,
      mine,
      waiting_on_me: waitingLines,
      responses: responded,
      reserved: live
        .filter((r) => r.owner === me)
        .map((r) => `${r.pattern} until ${r.expires}${r.ticket ? ` (${r.ticket})` : ''}`),
      reserved_by_others: live.filter((r) => r.owner !== me).length,
    };
    return { ...data, text: primeText(data) };
  },
});
