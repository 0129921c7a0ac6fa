import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonLines } from './jsonLines.js';
import type { Store } from './store.js';
import { triggersDir } from './triggerSpool.js';

/** One attempt of a webhook delivery. */
export interface DeliveryAttempt {
  attempt: number;
  /** HTTP status; null when no answer came (network error, time limit). */
  status: number | null;
  duration_ms: number;
  error?: string;
}

/** One line of `.git/tack/triggers/log.jsonl`: a hook command run or a webhook delivery. */
export interface DeliveryRecord {
  time: string;
  kind: 'command' | 'webhook';
  /** The command line, or the webhook's name. */
  target: string;
  url?: string;
  event: string;
  event_id: string;
  ticket: string | null;
  delivery: string;
  ok: boolean;
  /** Command: exit code (null when killed); webhook: the last HTTP status. */
  status: number | null;
  duration_ms: number;
  error?: string;
  /** Command: the end of what it wrote to stdout/stderr. */
  output?: string;
  timed_out?: boolean;
  attempts?: DeliveryAttempt[];
}

/** Past this size the log is moved to log.1.jsonl (the one before is dropped). */
const ROTATE_BYTES = 1024 * 1024;

const logFile = (store: Store) => join(triggersDir(store), 'log.jsonl');

export function appendDelivery(store: Store, rec: DeliveryRecord): void {
  const file = logFile(store);
  mkdirSync(triggersDir(store), { recursive: true });
  try {
    if (statSync(file).size > ROTATE_BYTES) renameSync(file, join(triggersDir(store), 'log.1.jsonl'));
  } catch {
    // no log yet
  }
  appendFileSync(file, `${JSON.stringify(rec)}\n`);
}

/** The newest `limit` records, oldest first (the rotated file is read when the current one is short). */
export function readDeliveries(store: Store, limit: number): DeliveryRecord[] {
  let recs = readJsonLines<DeliveryRecord>(logFile(store));
  if (recs.length < limit) recs = [...readJsonLines<DeliveryRecord>(join(triggersDir(store), 'log.1.jsonl')), ...recs];
  return recs.slice(-limit);
}
