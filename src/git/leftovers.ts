import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Repo } from './repo.js';
import { processAlive } from './processAlive.js';

/**
 * Files a killed Tack (or git) process can leave behind: temporary index files, lock
 * files, half-written objects. None of them corrupts anything, but a stale lock makes
 * writes wait and fail, so `tack doctor` finds them and `--fix` removes them. A file
 * whose owner process is alive, or that is younger than a minute, is never touched.
 */
export interface Leftover {
  path: string;
  reason: string;
}

const LOCK_AGE_MS = 60_000;

function ageMs(path: string, now: number): number {
  try {
    return now - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function tackFiles(dir: string, now: number, out: Leftover[]): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const tmp = /^tmp-index-(\d+)-/.exec(name);
    if (tmp && !processAlive(Number(tmp[1])))
      out.push({ path, reason: `temporary index of process ${tmp[1]}, which is gone` });
    else if (name.endsWith('.lock') && ageMs(path, now) > LOCK_AGE_MS && !processAlive(Number(readText(path)))) {
      out.push({ path, reason: 'lock file older than a minute whose process is gone' });
    }
  }
}

/** git's ref locks (`<ref>.lock`) for the store's ref and the claim leases. */
function refLocks(repo: Repo, refs: string[], now: number, out: Leftover[]): void {
  const check = (path: string) => {
    if (existsSync(path) && ageMs(path, now) > LOCK_AGE_MS)
      out.push({ path, reason: 'git ref lock left by a killed process (writes to the ref fail while it exists)' });
  };
  for (const ref of refs) check(join(repo.commonDir, `${ref}.lock`));
  const claims = join(repo.commonDir, 'refs', 'tack', 'claims');
  if (existsSync(claims)) for (const name of readdirSync(claims)) if (name.endsWith('.lock')) check(join(claims, name));
}

/** Half-written loose objects from Tack's own object writer (`<sha>.tmp_<pid>_<hex>`). */
function objectTemps(repo: Repo, out: Leftover[]): void {
  const objects = join(repo.commonDir, 'objects');
  if (!existsSync(objects)) return;
  for (const sub of readdirSync(objects)) {
    if (!/^[0-9a-f]{2}$/.test(sub)) continue;
    for (const name of readdirSync(join(objects, sub))) {
      const m = /\.tmp_(\d+)_/.exec(name);
      if (m && !processAlive(Number(m[1])))
        out.push({ path: join(objects, sub, name), reason: `half-written object of process ${m[1]}, which is gone` });
    }
  }
}

export function findLeftovers(repo: Repo, storeRefs: string[]): Leftover[] {
  const now = Date.now();
  const out: Leftover[] = [];
  tackFiles(join(repo.commonDir, 'tack'), now, out);
  if (repo.gitDir !== repo.commonDir) tackFiles(join(repo.gitDir, 'tack'), now, out);
  refLocks(repo, storeRefs, now, out);
  objectTemps(repo, out);
  return out;
}

export function removeLeftover(l: Leftover): void {
  rmSync(l.path, { force: true });
}
