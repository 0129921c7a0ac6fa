import { commitTree, signaturesFor, writeBlob, writeCommitObject, type FileChange } from './commitWriter.js';
import { buildTree } from './treeBuilder.js';
import { casRef } from './refs.js';
import type { Repo } from './repo.js';

export interface MergeCommitRequest {
  ref: string;
  /** The ref's current commit (first parent); the ref moves only if it is still here. */
  ours: string;
  /** Further parents (the merged-in commits). */
  others: string[];
  /** Paths that differ from ours' tree. */
  changes: FileChange[];
  message: string;
  date?: string;
  /** Sign with git's signing setup (commit-tree -S). */
  sign?: boolean;
}

/**
 * A commit with several parents made with plumbing (merge of a sync, a branch merge, a
 * revert), then a compare-and-swap of the ref. Returns null when the ref moved.
 */
export function writeMergeCommit(repo: Repo, req: MergeCommitRequest): string | null {
  const entries = req.changes.map((c) => ({
    path: c.path,
    sha: c.blob ?? (c.content === null ? null : writeBlob(repo, c.content)),
  }));
  const tree = buildTree(repo, req.ours, entries);
  const sigs = signaturesFor(repo, req.date);
  const parents = [req.ours, ...req.others];
  const commit =
    (!req.sign && writeCommitObject(repo, tree, parents, req.message, sigs)) ||
    commitTree(repo, tree, parents, req.message, sigs, req.date, req.sign);
  return casRef(repo, req.ref, commit, req.ours, `tack: ${req.message.split('\n', 1)[0]}`) ? commit : null;
}
