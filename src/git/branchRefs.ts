import { gitRaw } from './run.js';
import type { Repo } from './repo.js';

/** Delete a ref only if it is still at `expected`; false when it moved or is gone. */
export function deleteRef(repo: Repo, name: string, expected: string): boolean {
  return gitRaw(['update-ref', '-d', name, expected], { cwd: repo.workTree, okCodes: [1, 128] }).status === 0;
}
