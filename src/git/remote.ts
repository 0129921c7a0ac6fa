import { TackError } from '../model/errors.js';
import { git, gitRaw } from './run.js';
import type { Repo } from './repo.js';

/** Talking to other clones: fetch, push, and what the history says about two commits. */

export function listRemotes(repo: Repo): string[] {
  return git(['remote'], { cwd: repo.workTree })
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
}

const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The one gate a remote passes before git sees it. Only a configured remote's name is
 * accepted (never a URL or path: those would let a caller point git at any transport),
 * and the name must not look like an option, so `--upload-pack=…` cannot get through
 * even if a remote were somehow configured with such a name.
 */
export function checkRemoteName(name: string, remotes: string[], source = 'remote'): string {
  if (name.startsWith('-') || CONTROL.test(name) || !remotes.includes(name)) {
    const why = name.startsWith('-')
      ? 'it starts with "-" (git would read it as an option)'
      : CONTROL.test(name)
        ? 'it contains a control character'
        : 'no such remote is configured';
    throw new TackError(
      'invalid_input',
      `${source} ${JSON.stringify(name)} is refused: ${why}; expected the name of a configured git remote: ${remotes.join(', ') || '(none configured)'}`,
      { received: name, expected: remotes },
    );
  }
  return name;
}

/**
 * The remote an operation talks to, for every operation that takes one (sync, status,
 * claim, claims, release, claim next): the one named, else git config `tack.remote`, else
 * `origin`, else the only remote (with several and `several: 'first'`, the first one);
 * null when there is none. Whatever it returns has passed checkRemoteName.
 */
export function resolveRemote(
  repo: Repo,
  named: string | undefined,
  several: 'first' | 'none' = 'none',
): string | null {
  const remotes = listRemotes(repo);
  if (named !== undefined && named !== '') return checkRemoteName(named, remotes);
  const configured = getConfig(repo, 'tack.remote');
  if (configured) return checkRemoteName(configured, remotes, 'git config tack.remote');
  if (remotes.includes('origin')) return 'origin';
  if (remotes.length === 1 || (several === 'first' && remotes.length > 0)) return checkRemoteName(remotes[0], remotes);
  return null;
}

/** `--end-of-options <remote>`: the remote's place in a fetch or push, never an option. */
export function remoteArgs(remote: string): string[] {
  if (remote.startsWith('-') || CONTROL.test(remote)) {
    throw new TackError(
      'invalid_input',
      `remote ${JSON.stringify(remote)} is refused: expected the name of a configured git remote`,
      { received: remote },
    );
  }
  return ['--end-of-options', remote];
}

export function trackingRef(remote: string, branch: string): string {
  return `refs/remotes/${remote}/${branch}`;
}

export function mergeBase(repo: Repo, a: string, b: string): string | null {
  const res = gitRaw(['merge-base', '--end-of-options', a, b], { cwd: repo.workTree, okCodes: [1] });
  return res.status === 0 ? res.stdout.toString('utf8').trim() : null;
}

/** Commits reachable from `to` but not from `from` (from null: all of `to`). */
export function countCommits(repo: Repo, from: string | null, to: string): number {
  return Number(
    git(['rev-list', '--count', '--end-of-options', from ? `${from}..${to}` : to], { cwd: repo.workTree }).trim(),
  );
}

/** The commits of `to` that `from` lacks, oldest first, merges left out. */
export function commitsBetween(repo: Repo, from: string, to: string): string[] {
  return git(['rev-list', '--reverse', '--no-merges', '--end-of-options', `${from}..${to}`], { cwd: repo.workTree })
    .split('\n')
    .filter(Boolean);
}

/** Paths under `prefix` with uncommitted changes in the work tree or index (inline mode). */
export function pendingPaths(repo: Repo, prefix: string): string[] {
  const out = git(['status', '--porcelain', '-z', '--untracked-files=all', '--', prefix], { cwd: repo.workTree });
  return out
    .split('\0')
    .filter(Boolean)
    .map((r) => r.slice(3));
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
  return Number(
    git(['rev-list', '--count', '--not', `--remotes=${remoteArgs(remote)[1]}`, '--not', '--end-of-options', head], {
      cwd: repo.workTree,
    }).trim(),
  );
}
