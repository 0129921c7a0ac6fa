import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Repo } from '../git/repo.js';

/*
 * Files of the work tree beside the store (AGENTS.md, CLAUDE.md, `.gitattributes`, agent
 * harness configs), as checked out. `path` is relative to the work tree's root.
 */

/** The checked-out file; null when there is none (or the repository is bare). */
export function readWorkTreeFile(repo: Repo, path: string): string | null {
  if (repo.bare) return null;
  const file = join(repo.workTree, path);
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}

/** Whether the work tree has this file or directory. */
export function workTreeHas(repo: Repo, path: string): boolean {
  return !repo.bare && existsSync(join(repo.workTree, path));
}

/** Write a work-tree file in place (its mode kept), creating its directory. */
export function writeWorkTreeFile(repo: Repo, path: string, text: string): void {
  const file = join(repo.workTree, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}
