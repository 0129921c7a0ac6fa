import { monotonicMs } from '../../model/monotonic.js';
import { TackError } from '../../model/errors.js';
import { sleep } from '../../model/sleep.js';
import { lockHolderPid, tryLock } from '../../store/lockFile.js';

/**
 * One sync pass per connection per clone at a time, across processes (`tack sync linear`
 * while `tack serve` polls): a lock file holding the owner's pid, taken over when that
 * process is gone (killed mid-pass), with the writer lock's atomic takeover. Within a
 * process, syncPass's queue orders passes.
 */
export async function withPassLock<T>(
  lock: string,
  fn: () => Promise<T>,
  waitMs = Number(process.env.TACK_SYNC_LOCK_WAIT_MS ?? 120_000),
): Promise<T> {
  const start = monotonicMs();
  let release: (() => void) | null;
  // The owner's pid decides: a pass may rightly hold the lock for minutes.
  while (!(release = tryLock(lock, { ancientMs: Number.POSITIVE_INFINITY }))) {
    if (monotonicMs() - start > waitMs) {
      const pid = lockHolderPid(lock);
      throw new TackError(
        'conflict',
        `another sync of this connection is running (pid ${pid ?? '?'}); waited ${Math.round(waitMs / 1000)}s`,
        { lock, pid },
      );
    }
    await sleep(50 + Math.random() * 150);
  }
  try {
    return await fn();
  } finally {
    release();
  }
}
