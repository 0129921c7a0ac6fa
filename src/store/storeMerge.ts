import { mergeStoreFile, type ConflictRecord } from '../model/merge.js';
import { ticketIdFromPath } from '../model/ticketPath.js';
import type { FileChange } from '../git/commitWriter.js';
import { readBlobs } from '../git/objects.js';
import { diffTree, type DiffEntry } from '../git/treeListing.js';
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
  const created = followLayoutMoves(mine, other, prefix);
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
  for (const e of both) mergeOne(e, mine.get(e.path)!, text, prefix, out, created.has(e.path));
  return out;
}

/** Ticket files one side moved to the other layout (removed at one path, added at another of its folder). */
function layoutMoves(entries: Iterable<DiffEntry>, prefix: string): Map<string, DiffEntry> {
  const gone = new Map<string, DiffEntry>();
  const added = new Map<string, DiffEntry>();
  for (const e of entries) {
    const loc = ticketIdFromPath(storeRel(e.path, prefix));
    if (!loc) continue;
    const key = `${loc.dir}/${loc.id}`;
    if (e.status === 'D') gone.set(key, e);
    else if (e.status === 'A') added.set(key, e);
  }
  const moves = new Map<string, DiffEntry>(); // old path → the entry at the new path
  for (const [key, d] of gone) {
    const a = added.get(key);
    if (a) moves.set(d.path, { ...a, oldSha: d.oldSha });
  }
  return moves;
}

/**
 * A side that migrated the layout moved ticket files; the other side's edits of the old
 * paths follow them to the new ones, so the merge holds each ticket once, with both sides'
 * changes. Rewrites the entries in place; returns the new paths ours' tree lacks (their
 * merged text must be written even when it equals ours).
 */
function followLayoutMoves(mine: Map<string, DiffEntry>, other: DiffEntry[], prefix: string): Set<string> {
  const oursMoved = layoutMoves(mine.values(), prefix);
  const theirsMoved = layoutMoves(other, prefix);
  const created = new Set<string>();
  other.forEach((e, i) => {
    const to = oursMoved.get(e.path);
    if (to && e.status !== 'A' && !theirsMoved.has(e.path)) other[i] = { ...e, path: to.path };
  });
  // Where each of theirs' paths is, looked up once a move (a search each was quadratic when
  // one side edited every ticket the other moved).
  let at: Map<string, number> | null = null;
  for (const [from, to] of theirsMoved) {
    const edit = mine.get(from);
    if (edit?.status !== 'M') continue;
    mine.delete(from);
    mine.set(to.path, { ...edit, path: to.path });
    at ??= firstIndexByPath(other);
    const i = at.get(to.path)!;
    other[i] = to; // theirs' added file, against the base version: an edit of the moved file
    created.add(to.path);
  }
  return created;
}

/** Each path's first place in `entries` (as findIndex would find it). */
function firstIndexByPath(entries: readonly DiffEntry[]): Map<string, number> {
  const at = new Map<string, number>();
  entries.forEach((e, i) => {
    if (!at.has(e.path)) at.set(e.path, i);
  });
  return at;
}

function mergeOne(
  t: DiffEntry,
  o: DiffEntry,
  text: (sha: string) => string | null,
  prefix: string,
  out: TreeMerge,
  create = false,
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
  if (res.text !== ours || create) out.changes.push({ path: t.path, content: res.text });
}
