import { TackError } from '../model/errors.js';
import { writeBlob } from './commitWriter.js';
import { readBlobs } from './objects.js';
import { readRef } from './refs.js';
import { type FetchSpec, fetchRefs, pushRefs, type RefPushResult, type RefUpdate } from './refExchange.js';
import { git, gitRaw } from './run.js';
import type { Repo } from './repo.js';

/**
 * Tack's git notes (`refs/notes/tack`): read, written whole (the caller computes the new
 * text), fetched into `refs/notes/remotes/<remote>/tack`, merged with git's
 * `cat_sort_uniq` strategy (a union of lines: Tack's note lines are self-contained), pushed.
 */
export const NOTES_REF = 'refs/notes/tack';

export function remoteNotesRef(remote: string): string {
  return `refs/notes/remotes/${remote}/tack`;
}

export function readNote(repo: Repo, commit: string): string {
  const res = gitRaw(['notes', `--ref=${NOTES_REF}`, 'show', '--end-of-options', commit], {
    cwd: repo.workTree,
    okCodes: [1],
  });
  return res.status === 0 ? res.stdout.toString('utf8') : '';
}

/** Replace the note of `commit` by `text`, as is (`-C` takes a blob: no cleanup of the text). */
export function writeNote(repo: Repo, commit: string, text: string): void {
  const blob = writeBlob(repo, text);
  git(['notes', `--ref=${NOTES_REF}`, 'add', '-f', '-C', blob, '--end-of-options', commit], { cwd: repo.workTree });
}

/** Every annotated commit with its note's text. */
export function listNotes(repo: Repo): Array<{ commit: string; text: string }> {
  if (!readRef(repo, NOTES_REF)) return [];
  const pairs = git(['notes', `--ref=${NOTES_REF}`, 'list'], { cwd: repo.workTree })
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '));
  const blobs = readBlobs(
    repo,
    pairs.map(([b]) => b),
  );
  return pairs.map(([blob, commit]) => ({ commit, text: blobs.get(blob)?.toString('utf8') ?? '' }));
}

/** The spec that brings the remote's notes to `remoteNotesRef` (alone, or in a fetch of several refs). */
export function notesFetchSpec(remote: string): FetchSpec {
  return { src: NOTES_REF, dst: remoteNotesRef(remote), optional: true };
}

/** Fetch the remote's notes; their commit, or null when the remote has none. */
export function fetchNotes(repo: Repo, remote: string): string | null {
  fetchRefs(repo, remote, [notesFetchSpec(remote)]);
  return readRef(repo, remoteNotesRef(remote));
}

/** Merge fetched notes into ours: a union of each commit's note lines. Returns whether ours moved. */
export function mergeNotes(repo: Repo, theirsRef: string): boolean {
  const theirs = readRef(repo, theirsRef);
  const ours = readRef(repo, NOTES_REF);
  if (!theirs || theirs === ours) return false;
  if (!ours) {
    git(['update-ref', NOTES_REF, theirs], { cwd: repo.workTree });
    return true;
  }
  git(['notes', `--ref=${NOTES_REF}`, 'merge', '--quiet', '--strategy=cat_sort_uniq', theirsRef], {
    cwd: repo.workTree,
  });
  return readRef(repo, NOTES_REF) !== ours;
}

/** Our notes as one ref to push (in a push of several refs, or alone). */
export function notesUpdate(remote: string, sha: string): RefUpdate {
  return { sha, dst: NOTES_REF, track: remoteNotesRef(remote) };
}

/**
 * What the remote said of our notes: taken (true), or it has notes we lack (false: fetch
 * and merge, then again). A refusal for another reason (a hook, permissions) is an error.
 */
export function notesPushed(remote: string, res: RefPushResult): boolean {
  if (res.ok) return true;
  const reason = res.reason ?? 'rejected';
  if (/non-fast-forward|fetch first|stale info/.test(reason)) return false;
  throw new TackError('git_failed', `${remote} refused ${NOTES_REF}: ${reason}`, { remote, reason });
}

/** Push our notes (see notesPushed). */
export function pushNotes(repo: Repo, remote: string): boolean {
  const head = readRef(repo, NOTES_REF);
  if (!head) return true;
  return notesPushed(remote, pushRefs(repo, remote, [notesUpdate(remote, head)]).get(NOTES_REF)!);
}
