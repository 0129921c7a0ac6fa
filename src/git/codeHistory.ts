import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TackError } from '../model/errors.js';
import { readConfig } from './config.js';
import { logFields } from './log.js';
import { git, gitRaw } from './run.js';
import { listRefs, readRef } from './refs.js';
import type { Repo } from './repo.js';

/** The code side of a repository: its branches, their commits' messages, switching branches. */

export interface CodeCommit {
  sha: string;
  message: string;
}

/** Local branches (`refs/heads/*`) except those named in `skip` (full ref names). */
export function codeBranches(repo: Repo, skip: ReadonlySet<string>): Array<{ name: string; sha: string }> {
  return listRefs(repo, 'refs/heads/').filter((r) => !skip.has(r.name));
}

/**
 * Commits reachable from `include` but not from `exclude`, oldest first, whose message
 * matches one of `grep` (extended regexps, case-insensitive): git filters, so thousands
 * of commits cost one process.
 */
export function commitMessages(repo: Repo, include: string[], exclude: string[], grep: string[]): CodeCommit[] {
  if (include.length === 0) return [];
  const args = ['--reverse', '-i', '-E', ...grep.map((g) => `--grep=${g}`), ...include];
  if (exclude.length) args.push('--not', ...exclude);
  return logFields(repo.workTree, ['%H', '%B'], [...args, '--']).map(([sha, message]) => ({ sha, message }));
}

export function commitExists(repo: Repo, sha: string): boolean {
  return gitRaw(['cat-file', '-e', `${sha}^{commit}`], { cwd: repo.workTree, okCodes: [1, 128] }).status === 0;
}

/** A config value, from the files when possible (hooks run this on every commit). */
function configValue(repo: Repo, key: string): string | null {
  const dot = key.lastIndexOf('.');
  return readConfig(repo, key.slice(0, dot), key.slice(dot + 1)) || null;
}

/** Where a symbolic ref points (`refs/remotes/origin/HEAD` → `refs/remotes/origin/main`), read from its file when it is one. */
function symbolicTarget(repo: Repo, name: string): string | null {
  try {
    const text = readFileSync(join(repo.commonDir, name), 'utf8').trim();
    return text.startsWith('ref: ') ? text.slice(5).trim() : null;
  } catch {
    const res = gitRaw(['symbolic-ref', '--quiet', name], { cwd: repo.workTree, okCodes: [1, 128] });
    return res.status === 0 ? res.stdout.toString('utf8').trim() : null;
  }
}

/**
 * The branch whose commits complete tickets: `tack.defaultBranch` if set, else what
 * origin says (origin/HEAD), else `init.defaultBranch`, `main`, `master`, whichever
 * exists here first. Null when none does.
 */
export function defaultBranch(repo: Repo): string | null {
  const set = configValue(repo, 'tack.defaultBranch');
  if (set) return set.replace(/^refs\/heads\//, '');
  const fromOrigin = symbolicTarget(repo, 'refs/remotes/origin/HEAD')?.replace(/^refs\/remotes\/origin\//, '') ?? null;
  const candidates = [fromOrigin, configValue(repo, 'init.defaultBranch'), 'main', 'master'];
  for (const c of candidates) if (c && readRef(repo, `refs/heads/${c}`)) return c;
  return null;
}

export function configured(repo: Repo, key: string): string | null {
  return configValue(repo, key);
}

/** Tracked files changed in the work tree or index (untracked files do not stop a switch). */
export function workTreeDirty(repo: Repo): boolean {
  return git(['status', '--porcelain', '--untracked-files=no'], { cwd: repo.workTree }).trim() !== '';
}

export function checkBranchName(repo: Repo, name: string): void {
  const res = gitRaw(['check-ref-format', '--branch', name], { cwd: repo.workTree, okCodes: [1, 128] });
  if (res.status !== 0) {
    throw new TackError(
      'invalid_input',
      `"${name}" is not a valid git branch name; expected something like tk-3fa9-fix-parser`,
      { received: name },
    );
  }
}

export function createBranch(repo: Repo, name: string, at: string): void {
  git(['branch', '--no-track', '--end-of-options', name, at], { cwd: repo.workTree });
}

export function switchBranch(repo: Repo, name: string): void {
  git(['switch', '--quiet', name], { cwd: repo.workTree });
}

/** Which of these ids name commits in the repository (one process for all). */
export function existingCommits(repo: Repo, shas: string[]): Set<string> {
  if (shas.length === 0) return new Set();
  const out = git(['cat-file', '--batch-check=%(objectname) %(objecttype)'], {
    cwd: repo.workTree,
    input: `${shas.join('\n')}\n`,
  });
  return new Set(
    out
      .split('\n')
      .filter((l) => l.endsWith(' commit'))
      .map((l) => l.split(' ')[0]),
  );
}
