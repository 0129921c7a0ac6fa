import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { TackError } from '../model/errors.js';

/**
 * A git repository found on disk without spawning git (the freshness check of every
 * command must stay cheap). Worktrees share `commonDir`, where refs and the index live.
 */
export interface Repo {
  /** The working tree root (where `.git` is), or the git dir itself for a bare repo. */
  workTree: string;
  /** This worktree's git dir (HEAD, index). */
  gitDir: string;
  /** Shared by all worktrees: refs, objects, config, Tack's SQLite index. */
  commonDir: string;
  bare: boolean;
}

function readGitFile(dotGit: string): string {
  const text = readFileSync(dotGit, 'utf8').trim();
  const m = /^gitdir:\s*(.+)$/m.exec(text);
  if (!m) throw new TackError('not_a_repo', `${dotGit} is not a valid .git file; expected "gitdir: <path>"`);
  return isAbsolute(m[1]) ? m[1] : resolve(dirname(dotGit), m[1]);
}

function commonDirOf(gitDir: string): string {
  const f = join(gitDir, 'commondir');
  if (!existsSync(f)) return gitDir;
  const rel = readFileSync(f, 'utf8').trim();
  return isAbsolute(rel) ? rel : resolve(gitDir, rel);
}

function isBareGitDir(dir: string): boolean {
  return existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects')) && existsSync(join(dir, 'refs'));
}

/** Walk up from `start` to the enclosing repository. */
export function discoverRepo(start: string): Repo {
  const envDir = process.env.GIT_DIR;
  if (envDir) {
    const gitDir = resolve(start, envDir);
    return {
      workTree: process.env.GIT_WORK_TREE ? resolve(start, process.env.GIT_WORK_TREE) : start,
      gitDir,
      commonDir: commonDirOf(gitDir),
      bare: false,
    };
  }
  let dir = resolve(start);
  for (;;) {
    const dotGit = join(dir, '.git');
    if (existsSync(dotGit)) {
      const gitDir = statSync(dotGit).isDirectory() ? dotGit : readGitFile(dotGit);
      return { workTree: dir, gitDir, commonDir: commonDirOf(gitDir), bare: false };
    }
    if (isBareGitDir(dir) && dir.endsWith('.git')) {
      return { workTree: dir, gitDir: dir, commonDir: commonDirOf(dir), bare: true };
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new TackError(
        'not_a_repo',
        `${resolve(start)} is not inside a git repository; expected a git work tree (run \`git init\` first, then \`tack init\`)`,
      );
    }
    dir = parent;
  }
}
