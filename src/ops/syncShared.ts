import { resolveRemote } from '../git/remote.js';
import type { Store } from '../store/store.js';

export const NO_REMOTE_MESSAGE =
  'no git remote is configured, so there is nothing to sync with; Tack works fine locally ' +
  '(add a remote with `git remote add origin URL` to share tickets)';

export const INLINE_MESSAGE =
  'inline mode: tickets live in .tack/ on your current branch, so syncing is your own ' +
  '`git pull` and `git push`; the merge driver (registered by `tack init`, or `tack setup` in a clone) merges ticket files without conflicts';

/** The remote to sync with (see resolveRemote: with several and no origin, the first one). */
export function chooseRemote(store: Store, named: string | undefined): string | null {
  return resolveRemote(store.repo, named, 'first');
}

/** `refs/heads/tack` → `tack`. */
export function branchName(store: Store): string {
  return store.ref.replace(/^refs\/heads\//, '');
}
