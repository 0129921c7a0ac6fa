import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasOutboundTriggers } from '../model/triggers.js';
import { readJsonLines } from './jsonLines.js';
import { tackDir, type Store, type StoreSettings } from './store.js';
import { tryLock } from './lockFile.js';

/**
 * The trigger spool: a writer whose local settings configure hooks or webhooks writes one
 * file per commit it made to `.git/tack/triggers/spool/`, named by the system's monotonic
 * clock (under the writer lock, so names sort in commit order); a deliverer drains it,
 * removing each file once delivered. A file per entry, created whole by a rename, means a
 * deliverer never reads an entry half-written nor claims one a writer is still appending
 * to (one shared file renamed away by the deliverer could take a late append with it).
 * A writer without triggers does nothing here: the check is on settings it has read anyway.
 */

export function triggersDir(store: Store): string {
  return join(tackDir(store.repo), 'triggers');
}

/** Where versions before the spool directory appended their entries, still drained. */
const legacySpoolFile = (store: Store) => join(triggersDir(store), 'spool.jsonl');
const spoolDir = (store: Store) => join(triggersDir(store), 'spool');
const ENTRY = /^\d{20}-\d+\.json$/;

export interface SpoolEntry {
  commit: string;
  ref: string;
  spooled: string;
}

let spooledHere = false;

/** Record a commit for delivery when the settings ask for triggers (plan branches are drafts: never). */
export function spoolCommit(store: Store, settings: StoreSettings | null, commit: string | null): void {
  if (!commit || store.plan || !hasOutboundTriggers(settings?.triggers)) return;
  const dir = spoolDir(store);
  mkdirSync(dir, { recursive: true });
  const entry: SpoolEntry = { commit, ref: store.ref, spooled: new Date().toISOString() };
  const name = `${process.hrtime.bigint().toString().padStart(20, '0')}-${process.pid}.json`;
  writeFileSync(join(dir, `.${name}.tmp`), JSON.stringify(entry));
  renameSync(join(dir, `.${name}.tmp`), join(dir, name));
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
 * What waits for delivery, oldest first: batches left by older versions (or by a
 * deliverer that died), then the spool's entries. Only the deliverer holding the lock
 * calls this, and it removes each file once delivered (`finishBatch`).
 */
export function claimBatches(store: Store): string[] {
  const dir = triggersDir(store);
  try {
    renameSync(
      legacySpoolFile(store),
      join(dir, `batch-${Date.now().toString().padStart(15, '0')}-${process.pid}.jsonl`),
    );
  } catch {
    // no spool file left by an older version
  }
  const listed = (d: string, keep: RegExp) => {
    try {
      return readdirSync(d)
        .filter((n) => keep.test(n))
        .sort()
        .map((n) => join(d, n));
    } catch {
      return [];
    }
  };
  return [...listed(dir, /^batch-.*\.jsonl$/), ...listed(spoolDir(store), ENTRY)];
}

/** The entries of one claimed file: a spool entry holds one, a legacy batch one per line. */
export function readBatch(file: string): SpoolEntry[] {
  if (!file.endsWith('.jsonl')) {
    try {
      return [JSON.parse(readFileSync(file, 'utf8')) as SpoolEntry];
    } catch {
      return [];
    }
  }
  return readJsonLines<SpoolEntry>(file);
}

export function finishBatch(file: string): void {
  rmSync(file, { force: true });
}

/**
 * One deliverer per clone at a time (events stay in order). Returns the release
 * function, or null when a live deliverer holds the lock: it will see our entries.
 * Delivering may take as long as slow receivers do, so the lock is judged by its
 * owner's pid alone, never by its age.
 */
export function tryDeliveryLock(store: Store): (() => void) | null {
  return tryLock(join(triggersDir(store), 'deliver.lock'), { ancientMs: Number.POSITIVE_INFINITY });
}

/** Whether anything waits for delivery (a spool or a batch). */
export function pendingDelivery(store: Store): boolean {
  try {
    if (readdirSync(triggersDir(store)).some((n) => n === 'spool.jsonl' || /^batch-.*\.jsonl$/.test(n))) return true;
    return readdirSync(spoolDir(store)).some((n) => ENTRY.test(n));
  } catch {
    return false;
  }
}
