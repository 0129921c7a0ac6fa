import { z } from 'zod';
import { waitingStates } from '../model/schema.js';
import { refreshClaims } from '../index/claims.js';
import { listTickets, readyTickets, schemaOf, type TicketSummary } from '../index/queries.js';
import { primeText, type PrimeLine } from './primeText.js';
import { liveReservationsHere } from './reservationsShared.js';
import { defineOp } from './op.js';

const line = (t: TicketSummary): PrimeLine => ({ id: t.short_id || t.id, title: t.title, status: t.status });

/** Orientation for an agent starting a session: ≤ 2 KB, what to do next and how. */
export default defineOp({
  name: 'prime',
  summary: 'Short orientation for an agent session: what is ready, what you hold, the commands (≤ 2 KB)',
  kind: 'read',
  input: z.object({}),
  async run(ctx) {
    const idx = await ctx.index();
    await refreshClaims(idx);
    const db = idx.db;
    const me = ctx.user();
    const now = ctx.now();
    const schema = schemaOf(db);
    const audience = schema.fields.some((f) => f.name === 'audience') ? ('agent' as const) : undefined;
    let ready = readyTickets(db, { me, limit: 6, audience, claims: { me, now } });
    const readyAll = ready.length === 0 || !audience;
    if (ready.length === 0 && audience) ready = readyTickets(db, { me, limit: 6, claims: { me, now } });
    const claimIds = (
      db.prepare('SELECT ticket FROM claims WHERE owner = ? AND expires > ? ORDER BY ticket').all(me, now) as Array<{
        ticket: string;
      }>
    ).map((r) => r.ticket);
    const claims = claimIds.length ? listTickets(db, { ids: claimIds, all: true }) : [];
    const waiting = new Set(waitingStates(schema));
    const mine = listTickets(db, { assignee: [me], limit: 20 }).filter((t) => !claimIds.includes(t.id));
    const live = liveReservationsHere(ctx);
    const data = {
      user: me,
      ready_all: readyAll,
      ready: ready.map(line),
      claims: claims.map(line),
      mine: mine.filter((t) => !waiting.has(t.status)).map(line),
      waiting_on_me: mine.filter((t) => waiting.has(t.status)).map(line),
      reserved: live
        .filter((r) => r.owner === me)
        .map((r) => `${r.pattern} until ${r.expires}${r.ticket ? ` (${r.ticket})` : ''}`),
      reserved_by_others: live.filter((r) => r.owner !== me).length,
    };
    return { ...data, text: primeText(data) };
  },
});
