import { TackError } from '../model/errors.js';
import { git, gitRaw } from './run.js';
import type { Repo } from './repo.js';

/** Talking to other clones: fetch, push, and what the history says about two commits. */

export function listRemotes(repo: Repo): string[] {
  return git(['remote'], { cwd: repo.workTree }).split('\n').map((s) => s.trim()).filter(Boolean);
}

export function trackingRef(remote: string, branch: string): string {
  return `refs/remotes/${remote}/${branch}`;
}

/**
 * Fetch `branch` from `remote` into its remote-tracking ref; returns the fetched commit,
 * or null when the remote has no such branch yet.
 */
export function fetchBranch(repo: Repo, remote: string, branch: string): string | null {
  const res = gitRaw(['fetch', '--quiet', '--no-tags', remote, `+refs/heads/${branch}:${trackingRef(remote, branch)}`],
    { cwd: repo.workTree, okCodes: [1, 128] });
  if (res.status !== 0) {
    if (/couldn't find remote ref|could not find remote ref/i.test(res.stderr)) return null;
    throw new TackError('git_failed', `git fetch ${remote} failed: ${res.stderr.trim()}; expected a reachable remote`, { remote, stderr: res.stderr.trim() });
  }
  return git(['rev-parse', '--verify', trackingRef(remote, branch)], { cwd: repo.workTree }).trim();
}

export interface PushResult {
  ok: boolean;
  /** Why the remote refused (non-fast-forward, hook), when it did. */
  reason?: string;
}

/** Push a commit to `refs/heads/<branch>` of the remote; a rejection is an answer, not an error. */
export function pushBranch(repo: Repo, remote: string, commit: string, branch: string): PushResult {
  const res = gitRaw(['push', '--porcelain', remote, `${commit}:refs/heads/${branch}`], { cwd: repo.workTree, okCodes: [1, 128] });
  const out = res.stdout.toString('utf8');
  // Porcelain: "<flag>\t<from>:<to>\t<summary> (<reason>)"; "!" is a rejection.
  const line = out.split('\n').find((l) => l.includes(`refs/heads/${branch}`));
  if (res.status === 0 && !line?.startsWith('!')) {
    gitRaw(['update-ref', trackingRef(remote, branch), commit], { cwd: repo.workTree });
    return { ok: true };
  }
  if (line?.startsWith('!')) return { ok: false, reason: line.split('\t')[2] ?? 'rejected' };
  throw new TackError('git_failed', `git push ${remote} failed: ${(res.stderr || out).trim()}; expected a reachable remote that accepts pushes`, { remote });
}

export function mergeBase(repo: Repo, a: string, b: string): string | null {
  const res = gitRaw(['merge-base', a, b], { cwd: repo.workTree, okCodes: [1] });
  return res.status === 0 ? res.stdout.toString('utf8').trim() : null;
}

/** Commits reachable from `to` but not from `from` (from null: all of `to`). */
export function countCommits(repo: Repo, from: string | null, to: string): number {
  return Number(git(['rev-list', '--count', from ? `${from}..${to}` : to], { cwd: repo.workTree }).trim());
}

/** The commits of `to` that `from` lacks, oldest first, merges left out. */
export function commitsBetween(repo: Repo, from: string, to: string): string[] {
  return git(['rev-list', '--reverse', '--no-merges', `${from}..${to}`], { cwd: repo.workTree }).split('\n').filter(Boolean);
}

/** Paths under `prefix` with uncommitted changes in the work tree or index (inline mode). */
export function pendingPaths(repo: Repo, prefix: string): string[] {
  const out = git(['status', '--porcelain', '-z', '--untracked-files=all', '--', prefix], { cwd: repo.workTree });
  return out.split('\0').filter(Boolean).map((r) => r.slice(3));
}

/** Set a git config value in the repository's own config (not global). */
export function setRepoConfig(repo: Repo, key: string, value: string): void {
  git(['config', '--local', key, value], { cwd: repo.workTree });
}

/** `git config --get key` (any scope), or null. */
export function getConfig(repo: Repo, key: string): string | null {
  const out = git(['config', '--get', key], { cwd: repo.workTree, okCodes: [1] }).trim();
  return out || null;
}

/** Commits of `head` that no remote-tracking ref of `remote` has (what a push would send). */
export function countNotOnRemote(repo: Repo, head: string, remote: string): number {
  return Number(git(['rev-list', '--count', head, '--not', `--remotes=${remote}`], { cwd: repo.workTree }).trim());
}
