import { TackError } from '../model/errors.js';
import { listRemotes } from '../git/remote.js';
import type { Store } from '../store/store.js';

export const NO_REMOTE_MESSAGE = 'no git remote is configured, so there is nothing to sync with; Tack works fine locally ' +
  '(add a remote with `git remote add origin URL` to share tickets)';

export const INLINE_MESSAGE = 'inline mode: tickets live in .tack/ on your current branch, so syncing is your own ' +
  '`git pull` and `git push`; the merge driver (registered by `tack init`, or `tack setup` in a clone) merges ticket files without conflicts';

/** The remote to sync with: the one named, else origin, else the only one; null when there is none. */
export function chooseRemote(store: Store, named: string | undefined): string | null {
  const remotes = listRemotes(store.repo);
  if (named) {
    if (!remotes.includes(named)) {
      throw new TackError('invalid_input', `unknown remote "${named}"; expected one of: ${remotes.join(', ') || '(none configured)'}`, { received: named, expected: remotes });
    }
    return named;
  }
  if (remotes.includes('origin')) return 'origin';
  return remotes[0] ?? null;
}

/** `refs/heads/tack` → `tack`. */
export function branchName(store: Store): string {
  return store.ref.replace(/^refs\/heads\//, '');
}
