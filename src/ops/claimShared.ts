import type { z } from 'zod';
import type { claimOutcomeShape } from '../model/workShapes.js';
import { resolveRemote } from '../git/remote.js';
import { TackError } from '../model/errors.js';
import {
  DEFAULT_LEASE,
  formatLeaseMessage,
  LOCAL_HINT,
  isGuarding,
  isLive,
  leaseExpiry,
  leaseRef,
  parseLeaseMessage,
  type Lease,
} from '../model/lease.js';
import { firstStateOf } from '../model/schema.js';
import { deleteLease, deleteRemoteLease, readLease, swapLeaseRef } from '../git/leases.js';
import { isAncestor } from '../git/refs.js';
import type { Repo } from '../git/repo.js';
import { getSummary, type TicketSummary } from '../index/queries.js';
import { committedIn, mutate } from './mutate.js';
import { releaseForTickets, reservationsRemote, reservationsRepo } from './reservationsShared.js';
import type { OpContext } from './op.js';
import type { TicketEditor } from './ticketEditor.js';

/** Unassigned and, when started, back in the first unstarted state: where `ready` offers it (release --unassign, doctor --fix). */
export function unassignTicket(ed: TicketEditor, id: string): string {
  const t = ed.ticket(id);
  ed.set(id, 'assignee', null);
  if (t.category !== 'started') return t.status;
  const status = firstStateOf(ed.schema, 'unstarted') ?? firstStateOf(ed.schema, 'backlog') ?? t.status;
  ed.set(id, 'status', status);
  return status;
}

/*
 * Claims shared by `claim`, `release` and `ready --claim`. The lease is taken first
 * (an atomic ref creation, then a non-forced push when there is a remote); only once
 * it is ours is the ticket assigned and started, so a lost race writes nothing.
 */

export interface ClaimOptions {
  /** Lease length: 30m, 2h, 1d. */
  duration?: string;
  renew?: boolean;
  remote?: string;
  /** Do not publish to (or check) any remote. */
  local?: boolean;
}

export type ClaimOutcome = z.infer<ReturnType<typeof claimOutcomeShape>>;

export function heldError(ticket: string, lease: Lease): TackError {
  return new TackError(
    'conflict',
    `${ticket} is claimed by ${lease.owner} until ${lease.expires}; expected an unclaimed ticket (pick another, or wait until the lease expires)`,
    { id: ticket, owner: lease.owner, expires: lease.expires },
  );
}

export function remoteFor(ctx: OpContext, opts: Pick<ClaimOptions, 'remote' | 'local'>): string | null {
  return opts.local ? null : resolveRemote(ctx.store().repo, opts.remote);
}

interface TakeRequest {
  ticket: string;
  me: string;
  now: string;
  duration: string;
  renew: boolean;
  /** The ticket's assignee: someone else's ticket without a lease is theirs. */
  assignee: string | null;
  remote: string | null;
  /** Whether this clone's store holds a commit (the one that finished the work under a finished lease). */
  seen(commit: string): boolean;
}

function finishedError(ticket: string, lease: Lease & { finished: string; closed_in: string }): TackError {
  return new TackError(
    'conflict',
    `${ticket} was finished by ${lease.owner} at ${lease.finished} (commit ${lease.closed_in.slice(0, 12)}), which this clone has not seen yet; expected open work (run \`tack sync\` to see it)`,
    { id: ticket, owner: lease.owner, finished: lease.finished, commit: lease.closed_in },
  );
}

/** Take or renew the lease with the claim mechanism (swapLeaseRef): the first push wins. */
function takeLease(repo: Repo, req: TakeRequest): { sha: string; lease: Lease; before: Lease | null } {
  let lease: Lease | null = null;
  let before: Lease | null = null;
  const { sha } = swapLeaseRef(repo, {
    ref: leaseRef(req.ticket),
    remote: req.remote,
    what: `the claim on ${req.ticket}`,
    hint: LOCAL_HINT,
    next(cur) {
      before = cur ? parseLeaseMessage(cur.message) : null;
      const held = before && isLive(before, req.now) ? before : null;
      if (held && held.owner !== req.me) throw heldError(req.ticket, held);
      // Work finished elsewhere: only a clone that has the finishing commit (and so sees the
      // ticket reopened since, if it is open) may claim it again.
      if (before && isGuarding(before, req.now) && before.owner !== req.me && !req.seen(before.closed_in))
        throw finishedError(req.ticket, before);
      if (req.renew && before?.owner !== req.me) {
        throw new TackError(
          'not_found',
          `you hold no live claim on ${req.ticket} to renew; expected one (claim it with \`tack claim ${req.ticket}\`)`,
          { id: req.ticket },
        );
      }
      if (!before && req.assignee && req.assignee !== req.me) {
        throw new TackError(
          'conflict',
          `${req.ticket} is assigned to ${req.assignee}; expected an unassigned ticket or one of yours`,
          { id: req.ticket, assignee: req.assignee },
        );
      }
      lease = {
        ticket: req.ticket,
        owner: req.me,
        expires: leaseExpiry(req.now, req.duration),
        claimed: before?.owner === req.me ? before.claimed : req.now,
        // A claim the remote never saw: a fetch of the remote's claims keeps it.
        ...(req.remote ? {} : { local: true }),
      };
      return formatLeaseMessage(lease);
    },
  });
  return { sha: sha!, lease: lease!, before };
}

/** The lease that had expired on someone else's started ticket before this claim, if that is what it was. */
function expiredHolder(before: Lease | null, t: TicketSummary, me: string): { owner: string; expires: string } | null {
  if (!before || before.owner === me || before.owner !== t.assignee || t.category !== 'started') return null;
  return { owner: before.owner, expires: before.expires };
}

function summaryOf(db: Parameters<typeof getSummary>[0], id: string): TicketSummary {
  const t = getSummary(db, id);
  if (!t) throw new TackError('not_found', `no ticket with id "${id}"`, { id });
  return t;
}

/** Claim (or renew the claim on) one ticket: lease first, then assign and start it in one commit. */
export async function claimTicket(ctx: OpContext, id: string, opts: ClaimOptions): Promise<ClaimOutcome> {
  const idx = await ctx.index();
  const t = summaryOf(idx.db, id);
  if (t.category === 'completed' || t.category === 'canceled') {
    throw new TackError('invalid_input', `${id} is closed (status ${t.status}); expected an open ticket to claim`, {
      id,
      status: t.status,
    });
  }
  const repo = ctx.store().repo;
  const me = ctx.user();
  const remote = remoteFor(ctx, opts);
  const renew = opts.renew === true;
  const { sha, lease, before } = takeLease(repo, {
    ticket: id,
    me,
    now: ctx.now(),
    duration: opts.duration ?? DEFAULT_LEASE,
    renew,
    assignee: t.assignee,
    remote,
    seen: (commit) => isAncestor(repo, commit, ctx.store().ref),
  });
  // The previous holder's lease ran out with the ticket still theirs: a take-over, said so.
  const prev = renew ? null : expiredHolder(before, t, me);
  const takeover = prev ? ` (took over: the claim of ${prev.owner} expired at ${prev.expires})` : '';
  let commit: string | null = null;
  if (!renew && (t.assignee !== me || t.category !== 'started')) {
    try {
      commit = (
        await mutate(ctx, 'claim', (ed) => {
          const tk = ed.ticket(id);
          if (tk.assignee !== me) ed.set(id, 'assignee', me);
          if (tk.category !== 'started') ed.set(id, 'status', firstStateOf(ed.schema, 'started') ?? tk.status);
          return { subject: `claim ${id}: ${me} until ${lease.expires}${takeover}`, value: null };
        })
      ).commit;
    } catch (e) {
      // Taken after all (the commit landed, the index was not brought to it): the lease stays with it.
      if (committedIn(e)) throw e;
      // The ticket could not be taken: the lease must not outlive the failed claim.
      if (remote) deleteRemoteLease(repo, remote, id, sha);
      deleteLease(repo, id, sha);
      throw e;
    }
  }
  const ticket = summaryOf((await ctx.index()).db, id);
  const where = remote
    ? ` (published to ${remote})`
    : ' (local: in this clone only, not published; other clones cannot see it)';
  const message = renew
    ? `renewed the claim on ${id} until ${lease.expires}${where}`
    : `claimed ${id} "${ticket.title}" until ${lease.expires}${where}${takeover}`;
  return {
    ticket,
    lease,
    lease_commit: sha,
    commit,
    remote,
    local: remote === null,
    renewed: renew,
    ...(prev ? { expired_claim: prev } : {}),
    message,
  };
}

/**
 * Finished work keeps no claim: `close`, `submit` and an approving `review` end the lease on
 * each ticket when one of `owners` holds it, and the file reservations they made for it.
 * A published lease is not deleted but marked finished in `commit` (see `Lease.finished`):
 * until the other clones have that commit, it keeps them from claiming the work again. A
 * remote that cannot be reached never fails the write that already happened. Returns the
 * ids released.
 */
export function releaseFinished(
  ctx: OpContext,
  ids: readonly string[],
  owners: readonly string[],
  commit: string | null,
): string[] {
  const repo = ctx.store().repo;
  const released: string[] = [];
  const finished = ctx.now();
  for (const id of ids) {
    const cur = readLease(repo, id);
    if (!cur?.lease || !owners.includes(cur.lease.owner)) continue;
    if (!cur.lease.local && commit && markFinished(ctx, id, owners, finished, commit)) {
      released.push(id);
      continue;
    }
    if (deleteLease(repo, id, cur.sha)) released.push(id);
  }
  try {
    const here = reservationsRepo(ctx);
    releaseForTickets(here, () => reservationsRemote(here, {}), ids, owners, ctx.now());
  } catch {
    // Best effort, as for the lease: `tack reserve --release --ticket ID` finishes it.
  }
  return released;
}

/** Turn the published lease into a finished one, here and on the remote; false when that could not be done. */
function markFinished(
  ctx: OpContext,
  id: string,
  owners: readonly string[],
  finished: string,
  commit: string,
): boolean {
  try {
    const remote = remoteFor(ctx, {});
    if (!remote) return false; // no other clone to keep off it
    const { sha } = swapLeaseRef(ctx.store().repo, {
      ref: leaseRef(id),
      remote,
      what: `the claim on ${id}`,
      hint: LOCAL_HINT,
      next(cur) {
        const l = cur ? parseLeaseMessage(cur.message) : null;
        if (!l || !owners.includes(l.owner) || l.finished) return null;
        return formatLeaseMessage({ ...l, finished, closed_in: commit });
      },
    });
    return sha !== null;
  } catch {
    // Unreachable remote: the lease here is deleted instead; `tack release` can finish the remote's copy.
    return false;
  }
}
