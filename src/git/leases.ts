import { TackError } from '../model/errors.js';
import { LEASE_REF_PREFIX, LOCAL_HINT, leaseRef, parseLeaseMessage, type Lease } from '../model/lease.js';
import { listLeaseRefs } from './leaseRefs.js';
import { commitTree, signaturesFor, writeCommitObject } from './commitWriter.js';
import { readBlobs } from './objects.js';
import { casRef, readRef } from './refs.js';
import { type FetchSpec, fetchRefs } from './refExchange.js';
import { remoteArgs } from './remote.js';
import { git, gitRaw } from './run.js';
import { readLooseObject, writeLooseObject } from './treePatch.js';
import type { Repo } from './repo.js';

/**
 * Claim leases as refs: `refs/tack/claims/<ticket>` points at a commit (empty tree)
 * whose message holds the lease. A renewal or a take-over is a child of the previous
 * lease commit, so pushing it is a fast-forward; a rival claim made from another clone
 * is an unrelated commit, so its non-forced push is rejected: the first push wins.
 */

function messageOf(commitBody: Buffer): string {
  const text = commitBody.toString('utf8');
  const blank = text.indexOf('\n\n');
  return blank < 0 ? '' : text.slice(blank + 2);
}

/** The leases stored in these commits (null: not a lease commit). */
export function readLeaseCommits(repo: Repo, shas: readonly string[]): Map<string, Lease | null> {
  const out = new Map<string, Lease | null>();
  const packed: string[] = [];
  for (const sha of shas) {
    const obj = readLooseObject(repo, sha);
    if (obj) out.set(sha, obj.type === 'commit' ? parseLeaseMessage(messageOf(obj.body)) : null);
    else packed.push(sha);
  }
  const bodies = readBlobs(repo, packed);
  for (const sha of packed) {
    const body = bodies.get(sha);
    out.set(sha, body ? parseLeaseMessage(messageOf(body)) : null);
  }
  return out;
}

/** A lease-style ref as this clone knows it: its commit and that commit's message (no process when loose). */
export function readLeaseRef(repo: Repo, ref: string): { sha: string; message: string } | null {
  const sha = readRef(repo, ref);
  if (!sha) return null;
  const obj = readLooseObject(repo, sha);
  const body = obj ? (obj.type === 'commit' ? obj.body : null) : (readBlobs(repo, [sha]).get(sha) ?? null);
  return { sha, message: body ? messageOf(body) : '' };
}

/** The lease on one ticket as this clone knows it, with the commit that holds it. */
export function readLease(repo: Repo, ticket: string): { sha: string; lease: Lease | null } | null {
  const sha = listLeaseRefs(repo).get(ticket);
  if (!sha) return null;
  return { sha, lease: readLeaseCommits(repo, [sha]).get(sha) ?? null };
}

function emptyTree(repo: Repo): string {
  try {
    return writeLooseObject(repo, 'tree', Buffer.alloc(0));
  } catch {
    return git(['mktree'], { cwd: repo.workTree, input: '' }).trim();
  }
}

/** Write the lease commit (child of `parent`, the lease it renews or takes over). */
export function writeLeaseCommit(repo: Repo, _lease: Lease | null, parent: string | null, message: string): string {
  const tree = emptyTree(repo);
  const parents = parent ? [parent] : [];
  const sigs = signaturesFor(repo);
  return writeCommitObject(repo, tree, parents, message, sigs) ?? commitTree(repo, tree, parents, message, sigs);
}

/** Move the lease ref from `expected` (null: must not exist) to `next`; false when someone else moved it. */
export function casLease(repo: Repo, ticket: string, next: string, expected: string | null): boolean {
  return casRef(repo, leaseRef(ticket), next, expected, `tack: claim ${ticket}`);
}

/** Delete the lease ref if it still points at `expected`; false when it moved or is gone. */
export function deleteLease(repo: Repo, ticket: string, expected: string): boolean {
  const res = gitRaw(['update-ref', '-d', leaseRef(ticket), expected], { cwd: repo.workTree, okCodes: [1, 128] });
  return res.status === 0;
}

export interface PushResult {
  ok: boolean;
  /** git's words when the push was refused. */
  reason: string;
}

function push(repo: Repo, args: string[]): PushResult {
  const res = gitRaw(['push', '--porcelain', '--no-verify', ...args], { cwd: repo.workTree, okCodes: [1, 128] });
  if (res.status === 0) return { ok: true, reason: '' };
  const text = `${res.stdout.toString('utf8')}\n${res.stderr}`;
  // A refusal names the ref with "!"; anything else (no network, no such remote) is a failure to report.
  if (/^!\t/m.test(text) || /rejected|stale info|fetch first|non-fast-forward/.test(text))
    return { ok: false, reason: text.trim() };
  return { ok: false, reason: `push failed: ${res.stderr.trim() || 'no message'}` };
}

/** Publish a lease-style ref without force: refused when the remote's commit is not an ancestor of `sha`. */
export function pushLeaseRef(repo: Repo, remote: string, ref: string, sha: string): PushResult {
  return push(repo, [...remoteArgs(remote), `${sha}:${ref}`]);
}

/** Publish a lease without force: refused when the remote holds a lease this one does not descend from. */
export function pushLease(repo: Repo, remote: string, ticket: string, sha: string): PushResult {
  return pushLeaseRef(repo, remote, leaseRef(ticket), sha);
}

/** Delete the remote lease only if it is still `expected` (ours). */
export function deleteRemoteLease(repo: Repo, remote: string, ticket: string, expected: string): PushResult {
  const ref = leaseRef(ticket);
  return push(repo, [`--force-with-lease=${ref}:${expected}`, ...remoteArgs(remote), `:${ref}`]);
}

/**
 * Copy the remote's lease-style ref over the local one (deleting it when the remote has
 * none); `what` and `hint` name it in the error when the remote cannot be read.
 */
export function fetchLeaseRef(repo: Repo, remote: string, ref: string, what: string, hint: string): void {
  let missing: Set<string>;
  try {
    missing = fetchRefs(repo, remote, [{ src: ref, dst: ref }]);
  } catch (e) {
    const why = e instanceof TackError ? String(e.details?.stderr ?? e.message) : String(e);
    throw new TackError('git_failed', `could not read ${what} from ${remote} (git fetch ${ref}: ${why}); ${hint}`, {
      remote,
      ref,
      hint,
    });
  }
  leaseRefFetched(repo, ref, missing);
}

/** After a fetch of the lease-style `ref`: the remote had none, so neither do we. */
export function leaseRefFetched(repo: Repo, ref: string, missing: Set<string>): void {
  if (!missing.has(ref)) return;
  const local = readRef(repo, ref);
  if (local) gitRaw(['update-ref', '-d', ref, local], { cwd: repo.workTree, okCodes: [1, 128] });
}

/** Copy the remote's lease on one ticket over the local one (deleting it when the remote has none). */
export function fetchLease(repo: Repo, remote: string, ticket: string): void {
  fetchLeaseRef(repo, remote, leaseRef(ticket), 'the claim', LOCAL_HINT);
}

export interface LeaseSwap {
  ref: string;
  /** Where to publish; null: this clone only. */
  remote: string | null;
  /** Names the lease in errors ("the claim on tk-1"), and `hint` says what to do when the remote fails. */
  what: string;
  hint: string;
  /**
   * The next lease commit's message, given the current one (fresh from the remote); null
   * when nothing needs to change. May throw to refuse (someone else holds it).
   */
  next(cur: { sha: string; message: string } | null): string | null;
}

/**
 * The claim mechanism, for any lease-style ref: read (after a fetch), decide, write a
 * child of the current commit, compare-and-swap the ref here, then push without force.
 * A rival from another clone makes the push non-fast-forward: the ref is put back and the
 * next round sees the rival's lease, so the first push wins. Returns the new commit and
 * the one it replaced (sha null: `next` had nothing to change).
 */
export function swapLeaseRef(repo: Repo, o: LeaseSwap): { sha: string | null; previous: string | null } {
  for (let attempt = 0; attempt < 5; attempt++) {
    if (o.remote) fetchLeaseRef(repo, o.remote, o.ref, o.what, o.hint);
    const cur = readLeaseRef(repo, o.ref);
    const message = o.next(cur);
    const previous = cur?.sha ?? null;
    if (message === null) return { sha: null, previous };
    const sha = writeLeaseCommit(repo, null, previous, message);
    if (!casRef(repo, o.ref, sha, previous, `tack: ${o.what}`)) continue; // another process here was faster
    if (!o.remote) return { sha, previous };
    const pushed = pushLeaseRef(repo, o.remote, o.ref, sha);
    if (pushed.ok) return { sha, previous };
    // Put the ref back as it was: the lease that could not be published is not ours.
    if (previous) casRef(repo, o.ref, previous, sha, `tack: ${o.what}`);
    else gitRaw(['update-ref', '-d', o.ref, sha], { cwd: repo.workTree, okCodes: [1, 128] });
    if (pushed.reason.startsWith('push failed'))
      throw new TackError('git_failed', `could not publish ${o.what} to ${o.remote}: ${pushed.reason}; ${o.hint}`, {
        remote: o.remote,
        ref: o.ref,
        hint: o.hint,
      });
    // Someone else's push got there first: the next round fetches it and says who.
  }
  throw new TackError('conflict', `${o.what} kept changing while taking it; try again`, { ref: o.ref });
}

/**
 * Mirror every remote lease locally (released ones disappear too), except the claims taken
 * here with --local, which the remote never saw: those stay unless the remote has a lease
 * on the same ticket (a published claim wins over an unpublished one). `mirror` is the
 * fetch of leasesFetchSpec with --prune, alone or among other refs.
 */
export function mirrorLeases(repo: Repo, mirror: () => void): void {
  const before = listLeaseRefs(repo);
  const leases = readLeaseCommits(repo, [...before.values()]);
  const local = [...before].filter(([, sha]) => leases.get(sha)?.local === true);
  mirror();
  const after = listLeaseRefs(repo);
  for (const [ticket, sha] of local) if (!after.has(ticket)) casLease(repo, ticket, sha, null);
}

export const leasesFetchSpec: FetchSpec = { src: `${LEASE_REF_PREFIX}*`, dst: `${LEASE_REF_PREFIX}*` };

export function fetchLeases(repo: Repo, remote: string): void {
  mirrorLeases(repo, () => {
    try {
      fetchRefs(repo, remote, [leasesFetchSpec], { prune: true });
    } catch (e) {
      const why = e instanceof TackError ? String(e.details?.stderr || 'no message') : String(e);
      throw new TackError('git_failed', `could not read the claims from ${remote} (git fetch: ${why}); ${LOCAL_HINT}`, {
        remote,
        hint: LOCAL_HINT,
      });
    }
  });
}
