import type { z } from 'zod';
import type { mentionCommitShape } from '../model/workShapes.js';
import type { Repo } from './repo.js';
import { logFields } from './log.js';
import { gitRaw } from './run.js';

export type MentionCommit = z.infer<ReturnType<typeof mentionCommitShape>>;

export interface CodeWork {
  /** The branch checked out in the work tree (null: detached or no commits). */
  branch: string | null;
  /** Commits on HEAD whose message names the ticket, newest first (Tack's own commits left out). */
  commits: MentionCommit[];
  /** `oldest^..newest`, for `git diff`; null without commits. */
  range: string | null;
}

/**
 * The code work for a ticket: commits reachable from the work tree's HEAD whose message
 * mentions one of `names` (its id, its short id). Inline stores commit to the same branch:
 * their commits carry a Tack-Op trailer and are not code.
 */
export function codeWork(repo: Repo, names: readonly string[], limit = 50): CodeWork {
  const cwd = repo.workTree;
  const head = gitRaw(['rev-parse', '--verify', '-q', 'HEAD'], { cwd, okCodes: [1, 128] });
  if (head.status !== 0 || repo.bare) return { branch: null, commits: [], range: null };
  const ref = gitRaw(['symbolic-ref', '-q', '--short', 'HEAD'], { cwd, okCodes: [1] })
    .stdout.toString('utf8')
    .trim();
  const greps = [...new Set(names.filter(Boolean))].flatMap((n) => ['--grep', n]);
  const rows = logFields(
    cwd,
    ['%H', '%an', '%aI', '%s', '%(trailers:key=Tack-Op,valueonly,separator=%x2c)'],
    ['HEAD', '-F', '-i', ...greps, `-n${limit * 2}`],
  );
  const commits: MentionCommit[] = [];
  for (const [sha, author, time, subject, op] of rows) {
    if (!sha || op.trim()) continue;
    commits.push({ sha, author, time, subject });
    if (commits.length >= limit) break;
  }
  const range = commits.length
    ? `${commits[commits.length - 1].sha.slice(0, 12)}^..${commits[0].sha.slice(0, 12)}`
    : null;
  return { branch: ref || null, commits, range };
}
