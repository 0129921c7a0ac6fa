import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A lock file that lets one writer of a clone work at a time. Branch mode does not need
 * it for correctness (the ref's compare-and-swap does that) but for speed: writers that
 * queue here do not compute, write and throw away commits that lose the race. The lock
 * holds its owner's pid; a lock whose process is gone (killed mid-write) is taken over.
 */

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** An empty lock older than this was left by a process killed before writing its pid. */
const EMPTY_LOCK_MS = 10_000;
/** A write holds the lock for milliseconds: one this old is left over, even if its pid was reused. */
const ANCIENT_LOCK_MS = 30_000;

function lockAge(lock: string): number {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return 0;
  }
}

function ownerGone(lock: string): boolean {
  let text: string;
  try {
    text = readFileSync(lock, 'utf8').trim();
  } catch {
    return false;
  }
  const pid = Number(text);
  if (!text || !Number.isInteger(pid) || pid <= 0) return lockAge(lock) > EMPTY_LOCK_MS;
  if (lockAge(lock) > ANCIENT_LOCK_MS) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

/** Remove a dead owner's lock; renaming first lets exactly one of several processes do it. */
function stealDeadLock(lock: string): boolean {
  if (!ownerGone(lock)) return false;
  const grave = `${lock}.dead-${process.pid}`;
  try {
    renameSync(lock, grave);
  } catch {
    return false;
  }
  rmSync(grave, { force: true });
  return true;
}

function tryTake(lock: string): boolean {
  try {
    const fd = openSync(lock, 'wx');
    try {
      writeSync(fd, String(process.pid));
    } finally {
      closeSync(fd);
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Take the lock, waiting up to `maxWaitMs`. Returns the release function, or null when
 * a live process kept the lock that long (the caller decides: give up, or go on).
 */
export function acquireWriterLock(lock: string, maxWaitMs: number): (() => void) | null {
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    if (tryTake(lock)) return () => rmSync(lock, { force: true });
    if (stealDeadLock(lock)) continue;
    if (Date.now() > deadline) return null;
    sleepMs(1 + Math.random() * 4);
  }
}
