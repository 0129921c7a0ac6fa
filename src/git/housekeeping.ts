import { mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Repo } from './repo.js';
import { readConfig } from './config.js';
import { gitDetached } from './run.js';

/** Fan-out directories sampled to estimate the loose objects (git samples `17` alone). */
const SAMPLE = ['17', '5a', 'a3', 'f0'];
/** git's gc.auto default (6700 loose objects), as a count per sampled directory. */
const LOOSE_PER_DIR = Math.ceil(6700 / 256);
/**
 * Loose bytes worth packing. Tack's writes add few objects but big ones (the tree of a
 * directory of 10,000 tickets is ~300 KiB), so git's count alone would let gigabytes pile up.
 */
const LOOSE_BYTES = 16 * 1024 * 1024;
/** Packs from which the next packing merges the small ones. */
const MAX_PACKS = 20;
/** At most one background start per this many milliseconds per repository. */
const MIN_INTERVAL_MS = 10_000;

interface Loose {
  count: number;
  bytes: number;
}

function estimateLoose(objects: string): Loose {
  let count = 0;
  let bytes = 0;
  for (const d of SAMPLE) {
    let names: string[];
    try {
      names = readdirSync(join(objects, d));
    } catch {
      continue; // nothing loose there yet
    }
    count += names.length;
    for (const n of names) {
      try {
        bytes += statSync(join(objects, d, n)).size;
      } catch {
        // packed and removed meanwhile
      }
    }
  }
  const scale = 256 / SAMPLE.length;
  // Per fan-out directory for the count (as git compares it), for the whole store in bytes.
  return { count: count / SAMPLE.length, bytes: bytes * scale };
}

/** True once per interval: the stamp file records the last start. */
function takeTurn(repo: Repo, now: number): boolean {
  const stamp = join(repo.commonDir, 'tack', 'gc-started');
  try {
    if (now - statSync(stamp).mtimeMs < MIN_INTERVAL_MS) return false;
  } catch {
    // never started
  }
  try {
    mkdirSync(join(repo.commonDir, 'tack'), { recursive: true });
    writeFileSync(stamp, '');
    utimesSync(stamp, now / 1000, now / 1000);
    return true;
  } catch {
    return false; // a read-only repository: leave it to git
  }
}

function countPacks(objects: string): number {
  try {
    return readdirSync(join(objects, 'pack')).filter((f) => f.endsWith('.pack')).length;
  } catch {
    return 0; // no packs yet
  }
}

/**
 * Every Tack write adds loose objects (or, for a group of writes in the server, a small pack)
 * and plumbing never packs them, so a busy store would grow without bound. After a write,
 * when the loose objects pass git's count or a size limit, or the packs are many, pack them
 * in the background: the command that wrote never waits, and `gc.auto=0` (the user's "never
 * pack for me") is honoured. Costs a few directory reads per write. Returns whether it
 * started one.
 *
 * `git repack -d` packs the loose objects; with many packs, `--geometric=2` also merges the
 * small ones, object for object. Never `-a -d`: it keeps only what refs reach, and a pack a
 * group of writes has just written is not reached until its ref moves a moment later.
 */
export function keepObjectsInCheck(repo: Repo, now = Date.now()): boolean {
  const objects = join(repo.commonDir, 'objects');
  const loose = estimateLoose(objects);
  const packs = countPacks(objects);
  if (packs < MAX_PACKS && loose.count <= LOOSE_PER_DIR && loose.bytes <= LOOSE_BYTES) return false;
  if (!takeTurn(repo, now)) return false;
  if (readConfig(repo, 'gc', 'auto') === '0') return false;
  gitDetached(['repack', '-d', '-q', ...(packs >= MAX_PACKS ? ['--geometric=2'] : [])], repo.workTree);
  return true;
}
