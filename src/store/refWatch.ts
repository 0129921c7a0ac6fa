import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Store } from './store.js';

/** Ref files git may touch when the store's ref moves: watched by directory, since git renames over them. */
function refWatchList(store: Store): Array<{ dir: string; names: Set<string> }> {
  const { gitDir, commonDir } = store.repo;
  const ref = store.ref.startsWith('refs/') ? store.ref : `refs/heads/${store.ref}`;
  const list = [
    { dir: commonDir, names: new Set(['packed-refs']) },
    { dir: dirname(join(commonDir, ref)), names: new Set([basename(ref)]) },
  ];
  // Inline mode follows HEAD: a checkout or a branch switch moves the store too.
  if (store.mode === 'inline') list.push({ dir: gitDir, names: new Set(['HEAD']) });
  return list;
}

export interface RefWatcher {
  close(): void;
}

/**
 * Call `onMove` when the store's ref may have moved (a commit here, in another process or
 * worktree, a fetch or a sync): fs.watch on the directories holding the ref file and
 * packed-refs, which sees git's rename-over. No process, no polling; a watch that cannot
 * be set up (a network filesystem) reports nothing, so callers keep a slow timer too.
 */
export function watchRefs(store: Store, onMove: () => void): RefWatcher {
  const watchers: FSWatcher[] = [];
  for (const { dir, names } of refWatchList(store)) {
    if (!existsSync(dir)) continue;
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => {
        if (name && names.has(name.toString())) onMove();
      });
      w.on('error', () => {}); // the caller's timer still catches what this would have
      watchers.push(w);
    } catch {
      // Watching is an optimisation: the caller's timer keeps it correct.
    }
  }
  return {
    close() {
      for (const w of watchers) w.close();
    },
  };
}
