import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { commitTree, signaturesFor, writeBlob, writeCommitObject, type FileChange } from './commitWriter.js';
import { looseCommitTree, patchTrees } from './treePatch.js';
import { casRef } from './refs.js';
import { git } from './run.js';
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

/** The tree of `base` plus changes, through a throwaway index (objects may be packed). */
function treeWithIndex(repo: Repo, base: string, lines: string[]): string {
  const file = join(repo.commonDir, `tack-merge-index-${process.pid}-${randomBytes(4).toString('hex')}`);
  const env = { GIT_INDEX_FILE: file };
  try {
    git(['read-tree', base], { cwd: repo.workTree, env });
    if (lines.length) git(['update-index', '--index-info'], { cwd: repo.workTree, env, input: lines.join('\n') + '\n' });
    return git(['write-tree'], { cwd: repo.workTree, env }).trim();
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * A commit with several parents made with plumbing (merge of a sync, a branch merge, a
 * revert), then a compare-and-swap of the ref. Returns null when the ref moved.
 */
export function writeMergeCommit(repo: Repo, req: MergeCommitRequest): string | null {
  const entries = req.changes.map((c) => ({ path: c.path, sha: c.content === null ? null : writeBlob(repo, c.content) }));
  const baseTree = looseCommitTree(repo, req.ours);
  const tree = (baseTree && patchTrees(repo, baseTree, entries)) ||
    treeWithIndex(repo, req.ours, entries.map((e) => (e.sha ? `100644 ${e.sha}\t${e.path}` : `0 ${'0'.repeat(40)}\t${e.path}`)));
  const sigs = signaturesFor(repo, req.date);
  const parents = [req.ours, ...req.others];
  const commit = (!req.sign && writeCommitObject(repo, tree, parents, req.message, sigs)) ||
    commitTree(repo, tree, parents, req.message, sigs, req.date, req.sign);
  return casRef(repo, req.ref, commit, req.ours, `tack: ${req.message.split('\n', 1)[0]}`) ? commit : null;
}
