import { monotonicMs } from '../model/monotonic.js';
import { sleepSync } from '../model/sleep.js';
import { git, gitRaw, type GitOptions } from './run.js';
import { zeroOid } from './objectFormat.js';
import type { Repo } from './repo.js';

/**
 * Git worktrees for `tack mount`: the store branch checked out where editors can reach
 * it. Tack moves that branch with plumbing, so it also keeps the worktree's own index in
 * step (see src/store/mount.ts); everything here runs inside the worktree, never in the
 * user's main one.
 */
export function addWorktree(repo: Repo, dir: string, branch: string): void {
  git(['worktree', 'add', '--quiet', dir, branch], { cwd: repo.bare ? repo.commonDir : repo.workTree });
}

export function removeWorktree(repo: Repo, dir: string, force: boolean): void {
  git(['worktree', 'remove', ...(force ? ['--force'] : []), dir], { cwd: repo.bare ? repo.commonDir : repo.workTree });
}

/** Paths of the worktree that differ from its HEAD (modified, added, deleted, untracked). */
export function worktreeChanges(dir: string): string[] {
  const out = git(['status', '--porcelain', '-z', '--untracked-files=all'], { cwd: dir });
  return out
    .split('\0')
    .filter((x) => x.length > 3)
    .map((x) => x.slice(3));
}

/**
 * Point the worktree's index at these blobs (null: remove the entry), as `git add` would
 * after Tack moved the checked-out branch with update-ref. Runs in the worktree, so git
 * picks its own index (`<commondir>/worktrees/<name>/index`), not the user's.
 */
export function setWorktreeIndex(repo: Repo, dir: string, blobs: Map<string, string | null>): void {
  const zero = zeroOid(repo);
  const lines = [...blobs].map(([path, sha]) => `${sha ? `100644 ${sha}` : `0 ${zero}`}\t${path}\0`).join('');
  if (lines) whenIndexFree(['update-index', '-z', '--index-info'], { cwd: dir, input: lines });
  // Refresh stat data so `git status` in the mount does not re-hash every touched file.
  whenIndexFree(['update-index', '-q', '--refresh'], { cwd: dir, okCodes: [1] });
}

/** How long a write waits for someone else's hold on the worktree's index to end. */
const INDEX_LOCK_WAIT_MS = 2000;

/**
 * Run git on the worktree's index, waiting while another git holds its lock: a `git status`
 * in the mount takes it for a moment to refresh, and the branch has already moved, so
 * failing here would report a write as failed that is in git. A lock held longer (a git
 * that crashed) fails as before, with git's own advice.
 */
function whenIndexFree(args: string[], opts: GitOptions): void {
  const deadline = monotonicMs() + INDEX_LOCK_WAIT_MS;
  for (;;) {
    const res = gitRaw(args, { ...opts, okCodes: [...(opts.okCodes ?? []), 128] });
    const locked = res.status === 128 && /index\.lock': File exists/.test(res.stderr);
    if (!locked || monotonicMs() > deadline) {
      if (res.status === 128) git(args, opts); // fails with git's message
      return;
    }
    sleepSync(10 + Math.random() * 20);
  }
}
