import { join } from 'node:path';
import { TackError } from '../model/errors.js';
import { fetchNotes, mergeNotes, NOTES_REF, pushNotes, remoteNotesRef } from '../git/notes.js';
import { readRef } from '../git/refs.js';
import type { Repo } from '../git/repo.js';
import { acquireWriterLock } from '../store/lockFile.js';
import { tackDir } from '../store/store.js';

/*
 * Notes writers of one clone take turns (git notes has no compare-and-swap of its own);
 * clones merge by union of lines (see model/noteEntry.ts).
 */

export function withNotesLock<T>(repo: Repo, fn: () => T): T {
  const lock = join(tackDir(repo), 'notes.lock');
  const release = acquireWriterLock(lock, 8_000);
  if (!release)
    throw new TackError('conflict', `another Tack process holds ${lock}; if none is running, delete the file`);
  try {
    return fn();
  } finally {
    release();
  }
}

export interface NotesSyncReport {
  /** The remote's notes were merged into ours (ours changed). */
  pulled: boolean;
  /** Ours were pushed (the remote lacked some). */
  pushed: boolean;
  /** Why the notes could not be synced (the tickets were synced all the same). */
  error?: string;
}

const ATTEMPTS = 5;

/**
 * Fetch the remote's `refs/notes/tack`, merge (union of entries), push; again if someone
 * pushed first. A failure is reported, not thrown: notes must not fail a ticket sync.
 */
export function syncNotes(repo: Repo, remote: string): NotesSyncReport {
  try {
    return exchangeNotes(repo, remote);
  } catch (e) {
    return { pulled: false, pushed: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Merge the fetched notes (`theirs`, their commit) into ours, under the notes lock; returns
 * our notes' commit when the remote lacks it (to push), else null.
 */
export function mergeFetchedNotes(
  repo: Repo,
  remote: string,
  theirs: string | null,
  report: NotesSyncReport,
): string | null {
  return withNotesLock(repo, () => {
    if (theirs && mergeNotes(repo, remoteNotesRef(remote))) report.pulled = true;
    const ours = readRef(repo, NOTES_REF);
    return ours && ours !== theirs ? ours : null;
  });
}

function exchangeNotes(repo: Repo, remote: string): NotesSyncReport {
  const report: NotesSyncReport = { pulled: false, pushed: false };
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const theirs = fetchNotes(repo, remote);
    const ours = mergeFetchedNotes(repo, remote, theirs, report);
    if (!ours) return report;
    if (pushNotes(repo, remote)) {
      report.pushed = true;
      return report;
    }
  }
  throw new TackError('conflict', `${remote} kept changing refs/notes/tack while syncing; run \`tack sync\` again`, {
    remote,
  });
}
