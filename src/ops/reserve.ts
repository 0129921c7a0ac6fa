import { z } from 'zod';
import { TackError } from '../model/errors.js';
import {
  formatReservationsMessage,
  isLiveReservation,
  MAX_RESERVATIONS,
  normalizePatterns,
  parseReservationsMessage,
  patternsOverlap,
  RESERVATIONS_REF,
  reservationTtl,
  type Reservation,
} from '../model/reservation.js';
import { swapLeaseRef } from '../git/leases.js';
import { resolveId } from '../index/ticketIds.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { reservationShape } from '../model/workShapes.js';
import { describeReservation, reservationsRemote, reservationsRepo } from './reservationsShared.js';

/*
 * One operation reserves and releases (`--release`), as `claim --renew` renews: the MCP
 * surface offers one `reserve` tool instead of two, and `tack release` stays the
 * release of a claim on a ticket.
 */

interface Change {
  reserved: Reservation[];
  released: Reservation[];
}

function heldBy(r: Reservation, pattern: string): TackError {
  return new TackError(
    'conflict',
    `${pattern} is reserved by ${r.owner} until ${r.expires}${r.ticket ? ` for ${r.ticket}` : ''} (pattern ${r.pattern}); ` +
      'expected paths nobody else holds (pick other files, ask them, or wait until it expires)',
    { pattern, held: r.pattern, owner: r.owner, expires: r.expires, ticket: r.ticket },
  );
}

interface Plan {
  me: string;
  now: string;
  patterns: string[];
  ticket: string | null;
  expires: string;
  release: boolean;
  force: boolean;
}

function reserveNext(live: Reservation[], p: Plan, out: Change): Reservation[] | null {
  for (const pattern of p.patterns) {
    const other = live.find((r) => r.owner !== p.me && patternsOverlap(r.pattern, pattern));
    if (other) throw heldBy(other, pattern);
  }
  out.reserved = p.patterns.map((pattern) => {
    const mine = live.find((r) => r.owner === p.me && r.pattern === pattern);
    return {
      pattern,
      owner: p.me,
      ticket: p.ticket ?? mine?.ticket ?? null,
      expires: p.expires,
      reserved: mine?.reserved ?? p.now,
    };
  });
  const next = [...live.filter((r) => !(r.owner === p.me && p.patterns.includes(r.pattern))), ...out.reserved];
  if (next.length > MAX_RESERVATIONS) {
    throw new TackError(
      'invalid_input',
      `the repository would hold ${next.length} reservations; expected at most ${MAX_RESERVATIONS} (reserve folders or globs, release what you no longer need)`,
      { count: next.length },
    );
  }
  return next;
}

function releaseNext(live: Reservation[], p: Plan, out: Change): Reservation[] | null {
  const chosen = live.filter((r) =>
    p.patterns.length
      ? p.patterns.includes(r.pattern) && (r.owner === p.me || p.force)
      : r.owner === p.me && (p.ticket === null || r.ticket === p.ticket),
  );
  for (const pattern of p.patterns) {
    const other = live.find((r) => r.pattern === pattern && r.owner !== p.me);
    if (other && !p.force) throw heldBy(other, pattern);
  }
  out.released = chosen;
  if (chosen.length === 0) {
    const what = p.patterns.length ? p.patterns.join(', ') : p.ticket ? `for ${p.ticket}` : '';
    throw new TackError(
      'not_found',
      `you hold no reservation ${what}; nothing to release (see \`tack reservations\`)`,
      {
        patterns: p.patterns,
      },
    );
  }
  return live.filter((r) => !chosen.includes(r));
}

export default defineOp({
  name: 'reserve',
  summary:
    'Reserve files (paths or globs) you are editing, so commits by others warn or stop; --release gives them back',
  kind: 'write',
  cli: { args: ['...paths'] },
  input: z.object({
    paths: z.array(z.string()).optional().describe('paths or globs'),
    ticket: z.string().min(1).optional().describe('the ticket the work is for'),
    // MCP names every ticket argument `id`; the command line says --ticket.
    id: z.string().min(1).optional().describe('the ticket the work is for (same as ticket)'),
    ttl: z.string().optional().describe('how long (default 2h)'),
    release: z.boolean().optional().describe('give back (no paths: all yours, or all for the ticket)'),
    force: z.boolean().optional().describe("release someone else's reservation"),
    remote: z.string().optional().describe('publish to this remote (default: tack.remote, origin, or the only remote)'),
    local: z.boolean().optional().describe('reserve in this clone only: publish nothing'),
  }),
  output: lazyShape(() =>
    z.strictObject({
      reserved: z.array(reservationShape()),
      released: z.array(reservationShape()),
      lease_commit: z.string().nullable(),
      remote: z.string().nullable(),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    const release = input.release === true;
    const patterns = normalizePatterns(input.paths ?? []);
    if (!release && patterns.length === 0)
      throw new TackError('invalid_input', 'no path given; expected one or more paths or globs to reserve', {
        field: 'paths',
      });
    const now = ctx.now();
    const plan: Plan = {
      me: ctx.user(),
      now,
      patterns,
      ticket: (input.ticket ?? input.id) ? resolveId((await ctx.index()).db, (input.ticket ?? input.id)!) : null,
      expires: new Date(Date.parse(now) + reservationTtl(input.ttl)).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      release,
      force: input.force === true,
    };
    const repo = reservationsRepo(ctx);
    const remote = reservationsRemote(repo, input);
    const out: Change = { reserved: [], released: [] };
    const { sha } = swapLeaseRef(repo, {
      ref: RESERVATIONS_REF,
      remote,
      what: 'the reservations',
      hint: 'use --local to reserve in this clone only',
      next(cur) {
        const live = (cur ? parseReservationsMessage(cur.message) : []).filter((r) => isLiveReservation(r, now));
        const next = release ? releaseNext(live, plan, out) : reserveNext(live, plan, out);
        if (next === null) return null;
        const subject = release
          ? `release ${out.released.map((r) => r.pattern).join(' ')} (${plan.me})`
          : `reserve ${patterns.join(' ')} by ${plan.me} until ${plan.expires}`;
        return formatReservationsMessage(next, subject.slice(0, 200));
      },
    });
    const where = remote ? ` (published to ${remote})` : '';
    const message = release
      ? `released ${out.released.map(describeReservation).join('; ')}${where}`
      : `reserved ${out.reserved.map((r) => r.pattern).join(', ')} until ${plan.expires}${plan.ticket ? ` for ${plan.ticket}` : ''}${where}`;
    return { ...out, lease_commit: sha, remote, message };
  },
});
