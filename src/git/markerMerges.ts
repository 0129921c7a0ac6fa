import { git, gitRaw } from './run.js';
import { readFileAt } from './objects.js';
import { mergeBase } from './remote.js';
import type { Repo } from './repo.js';

/** The versions of one file around the merge commit that wrote it (null: absent there). */
export interface MergeVersions {
  merge: string;
  /** The file as the merge recorded it (with markers). */
  merged: string | null;
  base: string | null;
  ours: string | null;
  theirs: string | null;
}

/** Files under `paths` at `rev` with a line starting like git's conflict marker. */
export function filesWithMarkerLines(repo: Repo, rev: string, paths: string[]): string[] {
  const res = gitRaw(['grep', '-l', '-z', '-I', '-E', '-e', '^<{7}( |$)', rev, '--', ...paths], {
    cwd: repo.workTree,
    okCodes: [1],
  });
  // `git grep` names hits `<rev>:<path>`.
  return res.stdout
    .toString('utf8')
    .split('\0')
    .filter(Boolean)
    .map((p) => p.slice(rev.length + 1));
}

/**
 * The newest merge commits of `head` that touched `path` (the ones that may have written
 * conflict markers into it), with the file at the merge, at both parents and at their base.
 */
export function mergesTouching(repo: Repo, head: string, path: string, max = 10): MergeVersions[] {
  const merges = git(['rev-list', '--merges', `--max-count=${max}`, head, '--', path], { cwd: repo.workTree })
    .split('\n')
    .filter(Boolean);
  return merges.map((merge) => {
    const [p1, p2] = git(['rev-parse', `${merge}^1`, `${merge}^2`], { cwd: repo.workTree }).split('\n');
    const base = mergeBase(repo, p1, p2);
    return {
      merge,
      merged: readFileAt(repo, merge, path),
      base: base ? readFileAt(repo, base, path) : null,
      ours: readFileAt(repo, p1, path),
      theirs: readFileAt(repo, p2, path),
    };
  });
}

/** The newest commit of `head` that added `path`, or null. */
export function lastAdded(repo: Repo, head: string, path: string): string | null {
  return git(['log', '-1', '--diff-filter=A', '--format=%H', head, '--', path], { cwd: repo.workTree }).trim() || null;
}
