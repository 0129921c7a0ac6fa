import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Repo } from '../git/repo.js';

/**
 * A file at the top of the work tree beside the store (AGENTS.md, CLAUDE.md), as checked
 * out; null when there is none (or the repository is bare). Doctor checks what these tell
 * an agent to run.
 */
export function readWorkTreeFile(repo: Repo, path: string): string | null {
  if (repo.bare) return null;
  const file = join(repo.workTree, path);
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}
