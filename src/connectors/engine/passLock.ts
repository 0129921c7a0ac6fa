import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { TackError } from '../../model/errors.js';
import { sleep } from '../../model/sleep.js';

function ownerAlive(lock: string): { alive: boolean; pid: number | null } {
  let pid: number;
  try {
    pid = Number(readFileSync(lock, 'utf8').trim());
  } catch {
    return { alive: true, pid: null }; // being created or removed right now: look again
  }
  if (!Number.isInteger(pid) || pid <= 0) return { alive: false, pid: null };
  try {
    process.kill(pid, 0);
    return { alive: true, pid };
  } catch (e) {
    return { alive: (e as NodeJS.ErrnoException).code === 'EPERM', pid };
  }
}

/**
 * One sync pass per connection per clone at a time, across processes (`tack sync linear`
 * while `tack serve` polls): a lock file holding the owner's pid, taken over when that
 * process is gone (killed mid-pass). Within a process, syncPass's queue orders passes.
 */
export async function withPassLock<T>(
  lock: string,
  fn: () => Promise<T>,
  waitMs = Number(process.env.TACK_SYNC_LOCK_WAIT_MS ?? 120_000),
): Promise<T> {
  mkdirSync(dirname(lock), { recursive: true });
  const start = Date.now();
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = ownerAlive(lock);
      if (!owner.alive) {
        rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() - start > waitMs) {
        throw new TackError(
          'conflict',
          `another sync of this connection is running (pid ${owner.pid ?? '?'}); waited ${Math.round(waitMs / 1000)}s`,
          { lock, pid: owner.pid },
        );
      }
      await sleep(50 + Math.random() * 150);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}
