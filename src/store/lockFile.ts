import { monotonicMs } from '../model/monotonic.js';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { sleepSync } from '../model/sleep.js';
import { processAlive } from '../git/processAlive.js';

/**
 * A lock file that lets one writer of a clone work at a time. Branch mode does not need
 * it for correctness (the ref's compare-and-swap does that) but for speed: writers that
 * queue here do not compute, write and throw away commits that lose the race. The lock
 * holds its owner's pid; a lock whose process is gone (killed mid-write) is taken over.
 */

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

interface Holder {
  /** The lock file's identity: its content (pid and a nonce) and inode. */
  key: string;
  pid: number | null;
  age: number;
}

function readHolder(lock: string): Holder | null {
  try {
    const text = readFileSync(lock, 'utf8').trim();
    const st = statSync(lock);
    const pid = Number(text.split(' ')[0]);
    return {
      key: `${text}|${st.ino}|${st.mtimeMs}`,
      pid: text && Number.isInteger(pid) && pid > 0 ? pid : null,
      age: Date.now() - st.mtimeMs,
    };
  } catch {
    return null;
  }
}

/**
 * How long a live owner may hold the lock before it counts as left over (its pid may have
 * been reused): a write takes milliseconds; a connector's sync pass may take minutes, so
 * its lock is judged by the owner's pid alone.
 */
export interface LockPolicy {
  ancientMs: number;
}
const WRITER: LockPolicy = { ancientMs: ANCIENT_LOCK_MS };

function ownerGone(h: Holder, policy: LockPolicy): boolean {
  if (h.pid === null) return h.age > EMPTY_LOCK_MS;
  if (h.age > policy.ancientMs) return true;
  return !processAlive(h.pid);
}

/**
 * Remove a dead owner's lock so that exactly one process does it, and never a live lock:
 * a takeover first creates (O_EXCL) a marker named after that very lock file (content,
 * inode, time), then checks the lock is still that file before removing it. Only the
 * marker's creator may remove that file, and a fresh lock has another name, so two
 * processes that both saw the dead lock cannot both take it, nor remove its successor.
 */
function stealDeadLock(lock: string, policy: LockPolicy): boolean {
  const h = readHolder(lock);
  if (!h || !ownerGone(h, policy)) return false;
  const marker = markerFor(lock, h);
  try {
    closeSync(openSync(marker, 'wx'));
  } catch {
    // Another process is taking this very lock over; a marker left by one killed
    // meanwhile (it takes microseconds) is cleared once it is clearly old.
    if (lockAge(marker) > EMPTY_LOCK_MS) rmSync(marker, { force: true });
    return false;
  }
  try {
    if (readHolder(lock)?.key !== h.key) return false;
    rmSync(lock, { force: true });
    return true;
  } finally {
    rmSync(marker, { force: true });
  }
}

/** Create the lock; returns what it holds (pid and a nonce), or null when it exists. */
function markerFor(lock: string, h: Holder): string {
  return `${lock}.takeover-${createHash('sha256').update(h.key).digest('hex').slice(0, 16)}`;
}

/** The marker a takeover of the lock file now at `lock` creates (tests stage a rival takeover). */
export function takeoverMarker(lock: string): string | null {
  const h = readHolder(lock);
  return h ? markerFor(lock, h) : null;
}

function tryTake(lock: string): string | null {
  // A nonce makes each lock file distinct even when a pid is reused.
  const token = `${process.pid} ${randomBytes(6).toString('hex')}`;
  try {
    const fd = openSync(lock, 'wx');
    try {
      writeSync(fd, token);
    } finally {
      closeSync(fd);
    }
    return token;
  } catch {
    return null;
  }
}

/** Remove the lock only while it is still ours (an ancient one may have been taken over). */
function releaser(lock: string, token: string): () => void {
  return () => {
    try {
      if (readFileSync(lock, 'utf8') === token) rmSync(lock, { force: true });
    } catch {
      // already gone
    }
  };
}

/** Take the lock now if it is free or its owner is gone; null while a live process holds it. */
export function tryLock(lock: string, policy: LockPolicy = WRITER): (() => void) | null {
  mkdirSync(dirname(lock), { recursive: true });
  for (;;) {
    const token = tryTake(lock);
    if (token) return releaser(lock, token);
    if (!stealDeadLock(lock, policy)) return null;
  }
}

/** The pid holding the lock, if it says (for "held by pid N" messages). */
export function lockHolderPid(lock: string): number | null {
  return readHolder(lock)?.pid ?? null;
}

/**
 * Take the lock, waiting up to `maxWaitMs`. Returns the release function, or null when
 * a live process kept the lock that long (the caller decides: give up, or go on).
 */
export function acquireWriterLock(lock: string, maxWaitMs: number): (() => void) | null {
  if (heldHere.has(lock)) return () => {};
  const deadline = monotonicMs() + maxWaitMs;
  for (;;) {
    const release = tryLock(lock);
    if (release) return release;
    if (monotonicMs() > deadline) return null;
    sleepSync(1 + Math.random() * 4);
  }
}

/**
 * Locks this process holds through acquireWriterLockAsync (a count per path). A
 * synchronous acquire of such a lock passes at once: it is the holder's own commit, and a
 * process's synchronous commits never overlap on its one thread.
 */
const heldHere = new Map<string, number>();
/** This process's asynchronous waiters for each lock, in turn (they do not all poll the file). */
const turns = new Map<string, Promise<unknown>>();

function enter(lock: string): () => void {
  heldHere.set(lock, (heldHere.get(lock) ?? 0) + 1);
  let left = false;
  return () => {
    if (left) return;
    left = true;
    const n = (heldHere.get(lock) ?? 1) - 1;
    if (n > 0) heldHere.set(lock, n);
    else heldHere.delete(lock);
  };
}

/** Whether this process holds `lock` through acquireWriterLockAsync (its synchronous acquire passes). */
export function heldByThisProcess(lock: string): boolean {
  return heldHere.has(lock);
}

async function pollLock(lock: string, maxWaitMs: number, signal?: AbortSignal): Promise<(() => void) | null> {
  const deadline = monotonicMs() + maxWaitMs;
  for (;;) {
    signal?.throwIfAborted();
    const release = tryLock(lock);
    if (release) return release;
    if (monotonicMs() > deadline) return null;
    await new Promise((r) => setTimeout(r, 1 + Math.random() * 4));
  }
}

/**
 * The writer lock for long-running processes (server, MCP): waits without blocking the
 * event loop, this process's waiters one after the other. Returns the release, or null
 * when another process kept the lock `maxWaitMs` (the caller decides, as with
 * acquireWriterLock). While held, this process's synchronous acquires of the same lock
 * pass (the commit inside the turn takes the lock its turn already has).
 */
export async function acquireWriterLockAsync(
  lock: string,
  maxWaitMs: number,
  signal?: AbortSignal,
): Promise<(() => void) | null> {
  const before = turns.get(lock) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((r) => {
    done = r;
  });
  const chain = before.then(() => mine);
  turns.set(lock, chain);
  const finish = () => {
    done();
    if (turns.get(lock) === chain) turns.delete(lock);
  };
  try {
    await before;
    const release = await pollLock(lock, maxWaitMs, signal);
    if (!release) {
      finish();
      return null;
    }
    const leave = enter(lock);
    return () => {
      leave();
      release();
      finish();
    };
  } catch (e) {
    finish();
    throw e;
  }
}

/** Go around a lock another process kept too long (branch mode: the ref's compare-and-swap still decides). */
export function passLockHere(lock: string): () => void {
  return enter(lock);
}
