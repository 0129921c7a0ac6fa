import type { z } from 'zod';
import type { leaseShape } from './workShapes.js';
import { TackError } from './errors.js';
import { parseDuration } from './duration.js';

/**
 * A claim on a ticket: who holds it and until when. Stored as a tiny commit that a ref
 * `refs/tack/claims/<id>` points at, so creating one is an atomic ref creation locally
 * and a non-forced push across clones (the first push wins).
 */
export type Lease = z.infer<ReturnType<typeof leaseShape>>;

export const LEASE_REF_PREFIX = 'refs/tack/claims/';
export const DEFAULT_LEASE = '2h';

/** What to do when the remote cannot be reached (MCP callers pass `local: true`). */
export const LOCAL_HINT = 'to claim (or release) in this clone only, retry with --local (MCP: local: true)';

export function leaseRef(ticket: string): string {
  return `${LEASE_REF_PREFIX}${ticket}`;
}

/** The ticket id of a lease ref name, or null when the name is not one. */
export function ticketOfLeaseRef(ref: string): string | null {
  return ref.startsWith(LEASE_REF_PREFIX) && ref.length > LEASE_REF_PREFIX.length
    ? ref.slice(LEASE_REF_PREFIX.length)
    : null;
}

/** The lease commit's message: a readable subject, then the lease as one JSON line. */
export function formatLeaseMessage(lease: Lease): string {
  const subject = lease.finished
    ? `claim ${lease.ticket} by ${lease.owner} finished at ${lease.finished}`
    : `claim ${lease.ticket} by ${lease.owner} until ${lease.expires}`;
  return `${subject}\n\n${JSON.stringify(lease)}\n`;
}

const COMMIT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** The lease in a commit message written by formatLeaseMessage; null when there is none. */
export function parseLeaseMessage(message: string): Lease | null {
  for (const line of message.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const o = JSON.parse(line) as Partial<Lease>;
      if (typeof o.ticket === 'string' && typeof o.owner === 'string' && typeof o.expires === 'string') {
        return {
          ticket: o.ticket,
          owner: o.owner,
          expires: o.expires,
          claimed: typeof o.claimed === 'string' ? o.claimed : o.expires,
          ...(o.local === true ? { local: true } : {}),
          // A finished lease names the commit that finished the work; without one it is no tombstone.
          ...(typeof o.finished === 'string' && typeof o.closed_in === 'string' && COMMIT_ID.test(o.closed_in)
            ? { finished: o.finished, closed_in: o.closed_in }
            : {}),
        };
      }
    } catch {
      // not the lease line
    }
  }
  return null;
}

/** Expired and finished leases count as free: nobody holds the ticket any more. */
export function isLive(lease: Lease, now: string): boolean {
  return !lease.finished && Date.parse(lease.expires) > Date.parse(now);
}

/** A finished lease still guarding its ticket against clones that have not seen the work finished. */
export function isGuarding(lease: Lease, now: string): lease is Lease & { finished: string; closed_in: string } {
  return !!lease.finished && !!lease.closed_in && Date.parse(lease.expires) > Date.parse(now);
}

/** `now + for` as an ISO time; `for` is a duration such as 30m, 2h, 1d. */
export function leaseExpiry(now: string, duration: string): string {
  const ms = parseDuration(duration);
  if (ms === null || ms <= 0) {
    throw new TackError(
      'invalid_input',
      `--for ${JSON.stringify(duration)} is not a duration; expected something like 30m, 2h or 1d`,
      {
        field: 'for',
        received: duration,
      },
    );
  }
  return new Date(Date.parse(now) + ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
