import {
  appendFileSync,
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { hasOutboundTriggers } from '../model/triggers.js';
import { readJsonLines } from './jsonLines.js';
import { tackDir, type Store, type StoreSettings } from './store.js';

/**
 * The trigger spool: a writer whose local settings configure hooks or webhooks appends
 * one line per commit it made to `.git/tack/triggers/spool.jsonl` (under the writer lock,
 * so in commit order); a deliverer drains it. A writer without triggers does nothing
 * here: the check is on settings it has read anyway.
 */

export function triggersDir(store: Store): string {
  return join(tackDir(store.repo), 'triggers');
}

const spoolFile = (store: Store) => join(triggersDir(store), 'spool.jsonl');

export interface SpoolEntry {
  commit: string;
  ref: string;
  spooled: string;
}

let spooledHere = false;

/** Record a commit for delivery when the settings ask for triggers (plan branches are drafts: never). */
export function spoolCommit(store: Store, settings: StoreSettings | null, commit: string | null): void {
  if (!commit || store.plan || !hasOutboundTriggers(settings?.triggers)) return;
  mkdirSync(triggersDir(store), { recursive: true });
  const entry: SpoolEntry = { commit, ref: store.ref, spooled: new Date().toISOString() };
  appendFileSync(spoolFile(store), `${JSON.stringify(entry)}\n`);
  spooledHere = true;
}

/**
 * Commits `tack sync` brought in from other clones, spooled (oldest first) only when the
 * settings opt in with `hooks.pull`: by default they fired where they were made.
 */
export function spoolPulled(store: Store, settings: StoreSettings | null, commits: readonly string[]): void {
  if (settings?.triggers?.pull !== true) return;
  for (const c of commits) spoolCommit(store, settings, c);
}

/** True once after this process spooled a commit: the surface then starts a delivery. */
export function takeSpooled(): boolean {
  const was = spooledHere;
  spooledHere = false;
  return was;
}

/**
 * Move what is spooled into a batch file only the caller (the deliverer holding the
 * lock) reads; batches left by a deliverer that died come first. Oldest first.
 */
export function claimBatches(store: Store): string[] {
  const dir = triggersDir(store);
  try {
    renameSync(spoolFile(store), join(dir, `batch-${Date.now().toString().padStart(15, '0')}-${process.pid}.jsonl`));
  } catch {
    // nothing spooled since the last claim
  }
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^batch-.*\.jsonl$/.test(n))
    .sort()
    .map((n) => join(dir, n));
}

export function readBatch(file: string): SpoolEntry[] {
  return readJsonLines<SpoolEntry>(file);
}

export function finishBatch(file: string): void {
  rmSync(file, { force: true });
}

function lockPath(store: Store): string {
  return join(triggersDir(store), 'deliver.lock');
}

function ownerAlive(lock: string): boolean {
  try {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return Date.now() - statSync(lock).mtimeMs < 10_000;
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One deliverer per clone at a time (events stay in order). Returns the release
 * function, or null when a live deliverer holds the lock: it will see our entries.
 */
export function tryDeliveryLock(store: Store): (() => void) | null {
  mkdirSync(triggersDir(store), { recursive: true });
  const lock = lockPath(store);
  for (let i = 0; i < 2; i++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (ownerAlive(lock)) return null;
      rmSync(lock, { force: true });
    }
  }
  return null;
}

/** Whether anything waits for delivery (a spool or a batch). */
export function pendingDelivery(store: Store): boolean {
  try {
    return readdirSync(triggersDir(store)).some((n) => n === 'spool.jsonl' || /^batch-.*\.jsonl$/.test(n));
  } catch {
    return false;
  }
}
