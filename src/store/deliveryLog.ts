import type { z } from 'zod';
import type { deliveryRecordShape } from '../model/settingsShapes.js';
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonLines } from './jsonLines.js';
import type { Store } from './store.js';
import { triggersDir } from './triggerSpool.js';

/** One attempt of a webhook delivery. */
export type DeliveryAttempt = NonNullable<DeliveryRecord['attempts']>[number];

/** One line of `.git/tack/triggers/log.jsonl`: a hook command run or a webhook delivery. */
export type DeliveryRecord = z.infer<ReturnType<typeof deliveryRecordShape>>;

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
