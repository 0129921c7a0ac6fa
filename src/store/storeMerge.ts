import { mergeStoreFile, type ConflictRecord } from '../model/merge.js';
import type { FileChange } from '../git/commitWriter.js';
import { diffTree, readBlobs, type DiffEntry } from '../git/objects.js';
import type { Repo } from '../git/repo.js';

export interface FileConflicts {
  path: string;
  conflicts: ConflictRecord[];
}

export interface TreeMerge {
  /** Changes to apply to ours' tree (tree paths). */
  changes: FileChange[];
  /** Files changed on both sides and merged by content. */
  merged: string[];
  conflicts: FileConflicts[];
}

const ZERO = /^0+$/;

/** Tree path → path inside the store, for the merge function's choice of file kind. */
function storeRel(path: string, prefix: string): string {
  return prefix && path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/**
 * Three-way merge of two commits' trees in memory (no checkout): what only theirs changed
 * is taken; what both changed is merged file by file with the merge function. A file
 * deleted on one side and edited on the other is kept with the edit: nothing is lost.
 */
export function mergeTrees(repo: Repo, base: string | null, ours: string, theirs: string, prefix = ''): TreeMerge {
  // Inline stores share the tree with code: only the store's own files are Tack's to merge.
  const mine = new Map(diffTree(repo, base, ours, prefix).map((e) => [e.path, e]));
  const other = diffTree(repo, base, theirs, prefix);
  const both = other.filter((e) => mine.has(e.path) && mine.get(e.path)!.newSha !== e.newSha);
  const blobs = readBlobs(
    repo,
    both.flatMap((e) => [e.oldSha, e.newSha, mine.get(e.path)!.newSha]).filter((s) => !ZERO.test(s)),
  );
  const text = (sha: string): string | null => (ZERO.test(sha) ? null : (blobs.get(sha)?.toString('utf8') ?? null));
  const out: TreeMerge = { changes: [], merged: [], conflicts: [] };
  const theirsOnly = other.filter((e) => !mine.has(e.path));
  const theirsText = readBlobs(
    repo,
    theirsOnly.filter((e) => e.status !== 'D').map((e) => e.newSha),
  );
  for (const e of theirsOnly)
    out.changes.push({ path: e.path, content: e.status === 'D' ? null : theirsText.get(e.newSha)!.toString('utf8') });
  for (const e of both) mergeOne(e, mine.get(e.path)!, text, prefix, out);
  return out;
}

function mergeOne(
  t: DiffEntry,
  o: DiffEntry,
  text: (sha: string) => string | null,
  prefix: string,
  out: TreeMerge,
): void {
  const ours = text(o.newSha);
  const theirs = text(t.newSha);
  if (ours === null && theirs === null) return; // deleted on both sides
  if (ours === null || theirs === null) {
    // One side deleted, the other edited: keep the edit.
    if (theirs !== null) out.changes.push({ path: t.path, content: theirs });
    return;
  }
  const res = mergeStoreFile(storeRel(t.path, prefix), text(t.oldSha), ours, theirs);
  out.merged.push(t.path);
  if (res.conflicts.length) out.conflicts.push({ path: t.path, conflicts: res.conflicts });
  if (res.text !== ours) out.changes.push({ path: t.path, content: res.text });
}
