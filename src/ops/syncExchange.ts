import { RESERVATIONS_REF } from '../model/reservation.js';
import { leasesFetchSpec, mirrorLeases } from '../git/leases.js';
import { NOTES_REF, notesFetchSpec, notesPushed, notesUpdate } from '../git/notes.js';
import { type FetchSpec, fetchRefs, pushRefs, type RefUpdate } from '../git/refExchange.js';
import { readRef } from '../git/refs.js';
import { trackingRef } from '../git/remote.js';
import type { Store } from '../store/store.js';
import { mergeFetchedNotes, syncNotes, type NotesSyncReport } from './notesShared.js';
import type { OpContext } from './op.js';
import { fetchReservationsQuietly, reservationsRepo } from './reservationsShared.js';

/**
 * What `tack sync` exchanges with a remote, in as few connections as git allows: one fetch
 * brings the store branch, the notes, the claims and the reservations; one push sends the
 * branch and the notes. Each connection to a slow remote is a round trip (over ssh, a login).
 */

export interface ClaimsReport {
  fetched: boolean;
  error?: string;
}

/** What came back from the remote in one fetch. */
export interface Fetched {
  /** The remote's store branch, or null when it has none (or no branch was asked for). */
  theirs: string | null;
  /** The remote's notes, or null when it has none or they were not asked for. */
  theirsNotes: string | null;
}

const firstLine = (e: unknown): string => (e instanceof Error ? e.message.split('\n')[0] : String(e));

function branchSpec(remote: string, branch: string): FetchSpec {
  return { src: `refs/heads/${branch}`, dst: trackingRef(remote, branch) };
}

function read(store: Store, spec: FetchSpec, missing: Set<string>): string | null {
  return missing.has(spec.src) ? null : readRef(store.repo, spec.dst);
}

/** The branch and (unless settled) the notes again, after the remote refused a push. */
export function fetchAgain(store: Store, remote: string, branch: string, notes: boolean): Fetched {
  const b = branchSpec(remote, branch);
  const specs = notes ? [b, notesFetchSpec(remote)] : [b];
  const missing = fetchRefs(store.repo, remote, specs);
  return { theirs: read(store, b, missing), theirsNotes: notes ? read(store, specs[1], missing) : null };
}

/**
 * The first fetch of a sync: the store branch (when one is given), the notes, every claim
 * (mirrored, see mirrorLeases) and the reservations when they live in the store's
 * repository (else they take a fetch of their own). A remote that cannot be read fails
 * the sync when a branch was asked for; otherwise (inline mode) it is reported.
 */
export function fetchFirst(
  ctx: OpContext,
  store: Store,
  remote: string,
  branch: string | null,
): Fetched & { claims: ClaimsReport; notesError?: string } {
  const repo = store.repo;
  const notes = notesFetchSpec(remote);
  const specs = [...(branch ? [branchSpec(remote, branch)] : []), notes, leasesFetchSpec];
  let resRepo: string | null = null;
  try {
    resRepo = reservationsRepo(ctx).commonDir;
  } catch {
    // cwd is not in a repository: no reservations to mirror
  }
  const together = resRepo === repo.commonDir;
  if (together) specs.push({ src: RESERVATIONS_REF, dst: RESERVATIONS_REF, optional: true });
  let missing = new Set<string>();
  try {
    mirrorLeases(repo, () => {
      missing = fetchRefs(repo, remote, specs, { prune: true });
    });
  } catch (e) {
    if (branch) throw e;
    const error = firstLine(e);
    return { theirs: null, theirsNotes: null, claims: { fetched: false, error }, notesError: error };
  }
  if (!together && resRepo) fetchReservationsQuietly(ctx, remote);
  return {
    theirs: branch ? read(store, specs[0], missing) : null,
    theirsNotes: read(store, notes, missing),
    claims: { fetched: true },
  };
}

/** The notes' part of a sync round: merged from what was fetched, and what to push (if anything). */
export class NotesRound {
  readonly report: NotesSyncReport = { pulled: false, pushed: false };
  settled = false;
  private pending: string | null = null;

  constructor(
    private readonly store: Store,
    private readonly remote: string,
  ) {}

  failed(error: string): void {
    this.report.error = error;
    this.settled = true;
  }

  /** Merge the remote's notes into ours; the ref update to push, or null when the remote has ours. */
  merge(theirs: string | null): RefUpdate | null {
    if (this.settled) return null;
    try {
      this.pending = mergeFetchedNotes(this.store.repo, this.remote, theirs, this.report);
    } catch (e) {
      this.failed(firstLine(e));
      return null;
    }
    if (!this.pending) this.settled = true;
    return this.pending ? notesUpdate(this.remote, this.pending) : null;
  }

  /** The remote's verdict on our notes: taken, refused for good (reported), or to try again. */
  pushed(res: ReturnType<typeof pushRefs>): void {
    const r = res.get(NOTES_REF);
    if (!this.pending || !r) return;
    try {
      if (notesPushed(this.remote, r)) {
        this.report.pushed = true;
        this.settled = true;
      }
    } catch (e) {
      this.failed(firstLine(e));
    }
  }

  /** Notes still refused when the branch is done: they go on alone (their own fetch, merge, push). */
  finish(): NotesSyncReport {
    if (this.settled) return this.report;
    const rest = syncNotes(this.store.repo, this.remote);
    return { ...rest, pulled: this.report.pulled || rest.pulled };
  }
}

/** Push the notes alone (inline mode, or a branch with nothing to send); a failure is the notes' report. */
export function pushNotesOnly(store: Store, remote: string, round: NotesRound, update: RefUpdate | null): void {
  if (!update) return;
  try {
    round.pushed(pushRefs(store.repo, remote, [update]));
  } catch (e) {
    round.failed(firstLine(e));
  }
}
