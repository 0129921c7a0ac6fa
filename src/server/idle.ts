import { readConfig } from '../git/config.js';
import { millisSetting } from '../model/duration.js';
import type { Store } from '../store/store.js';

/**
 * The quiet time before hand edits are committed: the --idle flag, else `git config
 * tack.commit.idle` (the older `tack.idle` still counts), else 3 s.
 */
export function idleMs(store: Store, flag: string | undefined): number {
  const raw = flag ?? readConfig(store.repo, 'tack.commit', 'idle') ?? readConfig(store.repo, 'tack', 'idle') ?? '3s';
  return millisSetting(raw, '--idle');
}
