import { monotonicMs } from '../model/monotonic.js';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sleepSync } from '../model/sleep.js';
import type { Repo } from '../git/repo.js';
import { tackDir } from './store.js';
import { acquireWriterLock, lockHolderPid, tryLock } from './lockFile.js';
import { processAlive } from '../git/processAlive.js';

/*
 * The git hooks run `tack commits scan` in the background so that `git commit` does not
 * wait for it. The hook first leaves a mark (`scan-pending`, plain sh, no node start),
 * the scan holds `scan.lock` while it runs, and the next `tack` command waits for both
 * to clear, so it still sees the links of the commit just made.
 */

/** A mark older than this belongs to a scan that never started (tack gone, machine slept). */
const PENDING_VALID_MS = 20_000;
/** Commands wait at most this long for a running scan, then go on without its links. */
const MAX_WAIT_MS = 5_000;

export function scanPendingPath(repo: Repo): string {
  return join(tackDir(repo), 'scan-pending');
}

function scanLockPath(repo: Repo): string {
  return join(tackDir(repo), 'scan.lock');
}

function ageMs(path: string): number | null {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

/**
 * Start a scan: take the scan lock (a scan already running finishes first, since it may
 * have read the refs before the newest commit), then clear the hook's mark.
 */
export function beginCommitScan(repo: Repo, coalesce: boolean): (() => void) | null {
  // Hooks of a burst of commits: one scan runs, one waits behind it (it will see every
  // commit made meanwhile), the rest have nothing to add and stop at once.
  const queued = coalesce ? tryLock(join(tackDir(repo), 'scan.queue')) : () => {};
  if (!queued) return null;
  const release = acquireWriterLock(scanLockPath(repo), 60_000);
  queued();
  rmSync(scanPendingPath(repo), { force: true });
  return release ?? (() => {});
}

function scanInFlight(repo: Repo): boolean {
  const pending = ageMs(scanPendingPath(repo));
  if (pending !== null && pending < PENDING_VALID_MS) return true;
  const lock = scanLockPath(repo);
  return existsSync(lock) && lockHolderPid(lock) !== process.pid && processAlive(lockHolderPid(lock));
}

/** Wait (bounded) until no scan started by a git hook is pending or running. */
export function awaitCommitScan(repo: Repo): void {
  const deadline = monotonicMs() + MAX_WAIT_MS;
  while (scanInFlight(repo) && monotonicMs() < deadline) sleepSync(15);
}
