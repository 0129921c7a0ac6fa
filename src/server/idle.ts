import { TackError } from '../model/errors.js';
import { readConfig } from '../git/config.js';
import { parseDuration } from '../model/duration.js';
import type { Store } from '../store/store.js';

/**
 * The quiet time before hand edits are committed: the --idle flag, else `git config
 * tack.commit.idle` (the older `tack.idle` still counts), else 3 s.
 */
export function idleMs(store: Store, flag: string | undefined): number {
  const raw = flag ?? readConfig(store.repo, 'tack.commit', 'idle') ?? readConfig(store.repo, 'tack', 'idle') ?? '3s';
  const millis = /^\s*(\d+)\s*(ms)?\s*$/.exec(raw);
  const ms = millis ? Number(millis[1]) : parseDuration(raw);
  if (ms === null || !Number.isFinite(ms) || ms < 0) throw new TackError('invalid_input', `--idle expects a duration like 3s or 500ms; received ${JSON.stringify(raw)}`);
  return ms;
}
