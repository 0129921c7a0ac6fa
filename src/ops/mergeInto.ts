import { TackError } from '../model/errors.js';
import { casRef, isAncestor } from '../git/refs.js';
import { mergeBase } from '../git/remote.js';
import { writeMergeCommit } from '../git/mergeCommit.js';
import { signingOn, storeHead, type Store } from '../store/store.js';
import { mergeTrees, type FileConflicts } from '../store/storeMerge.js';
import { updateMount } from '../store/mount.js';

export interface MergeInto {
  /** The store's commit afterwards. */
  commit: string;
  fastForward: boolean;
  /** Nothing to do: `theirs` was already contained. */
  upToDate: boolean;
  merged: string[];
  conflicts: FileConflicts[];
}

/**
 * Bring commit `theirs` into the store's ref with the merge function: a fast-forward when
 * possible, else an in-memory merge committed with two parents. Retries when a writer
 * moves the ref meanwhile (compare-and-swap).
 */
export function mergeInto(
  store: Store,
  theirs: string,
  message: (m: { merged: string[]; conflicts: FileConflicts[] }) => string,
): MergeInto {
  for (let attempt = 0; attempt < 20; attempt++) {
    const ours = storeHead(store);
    if (!ours) throw new TackError('no_store', `${store.ref} has no commits; expected a store (run \`tack init\`)`);
    if (ours === theirs || isAncestor(store.repo, theirs, ours))
      return { commit: ours, fastForward: false, upToDate: true, merged: [], conflicts: [] };
    if (isAncestor(store.repo, ours, theirs)) {
      if (casRef(store.repo, store.ref, theirs, ours, 'tack: fast-forward')) {
        updateMount(store, ours, theirs); // a mounted branch follows, its edits merged
        return { commit: theirs, fastForward: true, upToDate: false, merged: [], conflicts: [] };
      }
      continue;
    }
    const m = mergeTrees(store.repo, mergeBase(store.repo, ours, theirs), ours, theirs, store.prefix);
    const commit = writeMergeCommit(store.repo, {
      ref: store.ref,
      ours,
      others: [theirs],
      changes: m.changes,
      message: message(m),
      date: process.env.TACK_NOW,
      sign: signingOn(store.repo),
    });
    if (commit) {
      updateMount(store, ours, commit);
      return { commit, fastForward: false, upToDate: false, merged: m.merged, conflicts: m.conflicts };
    }
  }
  throw new TackError('conflict', `${store.ref} kept moving while merging; run the command again`);
}
