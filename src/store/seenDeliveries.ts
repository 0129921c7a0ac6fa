import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Repo } from '../git/repo.js';
import { tackDir } from './store.js';

/** Ids older than this are forgotten by default: a signed timestamp that old is refused anyway. */
const KEEP_MS = 15 * 60 * 1000;
/** A flood of fresh deliveries cannot grow the file without bound. */
const MAX_IDS = 10_000;

type Seen = Record<string, number>;

function file(repo: Repo): string {
  return join(tackDir(repo), 'webhook-deliveries.json');
}

function load(path: string): Seen {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Seen) : {};
  } catch {
    return {};
  }
}

/**
 * Remember an inbound webhook's delivery id (per hook); false when it was seen already,
 * i.e. the request is a replay. Kept in .git/tack/ so a server restart does not reopen
 * the window. Written whole and renamed into place, so a crash leaves the old file.
 */
export function firstDelivery(repo: Repo, hook: string, delivery: string, nowMs: number, keepMs = KEEP_MS): boolean {
  const path = file(repo);
  const seen = load(path);
  const key = `${hook}\u0000${delivery}`;
  if (key in seen && seen[key] >= nowMs) return false;
  // Each id with the time it may be forgotten.
  seen[key] = nowMs + keepMs;
  const kept = Object.entries(seen)
    .filter(([, until]) => until >= nowMs)
    .sort((a, b) => a[1] - b[1])
    .slice(-MAX_IDS);
  mkdirSync(tackDir(repo), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(Object.fromEntries(kept)));
  renameSync(tmp, path);
  return true;
}
