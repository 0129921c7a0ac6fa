import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { oidBytes } from './objectFormat.js';
import type { Repo } from './repo.js';

/** A pack index (`.idx`, version 2) as read from disk, checked enough to look ids up safely. */
interface PackIndex {
  buf: Buffer;
  count: number;
  names: number;
  offsets: number;
  large: number;
}

const IDX_MAGIC = 0xff744f63;
const FANOUT = 8;
const NAMES = FANOUT + 256 * 4;

function readPackIndex(path: string, idLen: number): PackIndex | null {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch {
    return null;
  }
  if (buf.length < NAMES || buf.readUInt32BE(0) !== IDX_MAGIC || buf.readUInt32BE(4) !== 2) return null;
  const count = buf.readUInt32BE(FANOUT + 255 * 4);
  const offsets = NAMES + count * (idLen + 4);
  const large = offsets + count * 4;
  return large <= buf.length ? { buf, count, names: NAMES, offsets, large } : null;
}

/** Where the object `id` (raw bytes at `at` in `ids`) starts in its pack; -1 when the pack has none. */
function offsetIn(p: PackIndex, ids: Buffer, at: number, idLen: number): number {
  const first = ids[at];
  let lo = first === 0 ? 0 : p.buf.readUInt32BE(FANOUT + (first - 1) * 4);
  let hi = p.buf.readUInt32BE(FANOUT + first * 4);
  if (lo > hi || hi > p.count) return -1; // a damaged fan-out: ask git in the order given
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const start = p.names + mid * idLen;
    const cmp = p.buf.compare(ids, at, at + idLen, start, start + idLen);
    if (cmp < 0) lo = mid + 1;
    else if (cmp > 0) hi = mid;
    else return packOffset(p, mid);
  }
  return -1;
}

function packOffset(p: PackIndex, k: number): number {
  const small = p.buf.readUInt32BE(p.offsets + k * 4);
  if ((small & 0x80000000) === 0) return small;
  const at = p.large + (small & 0x7fffffff) * 8;
  return at + 8 <= p.buf.length ? Number(p.buf.readBigUInt64BE(at)) : -1;
}

/** The order to ask for objects in, and whether every pack's place for them was known. */
export interface PackOrder {
  /** Positions in the `shas` given. */
  order: Int32Array;
  /** Every pack index was read: an object not placed is not in a pack. */
  complete: boolean;
}

/**
 * The positions of `shas` in the order their objects lie in the repository's packs (pack by
 * pack, by offset); those in no pack (loose, or in a pack index not read) come last, in the
 * order given. Git resolves a packed object through its delta chain, keeping the bases it
 * met in a cache (96 MiB by default); asked in pack order, the bases a chain needs are the
 * ones just read, so a small cache serves as well as a large one, when the order is
 * `complete`. Reading the indexes needs no git process; only the order depends on them,
 * never what is read.
 */
export function packOrder(repo: Repo, shas: readonly string[]): PackOrder {
  const idLen = oidBytes(repo);
  const ids = Buffer.alloc(shas.length * idLen);
  for (let i = 0; i < shas.length; i++) ids.write(shas[i], i * idLen, idLen, 'hex');
  // Pack number × 2^40 + offset: exact in a double for any pack under a terabyte.
  const keys = new Float64Array(shas.length).fill(Number.POSITIVE_INFINITY);
  const { paths, complete } = packIndexes(repo);
  let read = 0;
  paths.forEach((path, n) => {
    const p = readPackIndex(path, idLen);
    if (!p) return;
    read++;
    for (let i = 0; i < shas.length; i++) {
      if (keys[i] !== Number.POSITIVE_INFINITY) continue;
      const offset = offsetIn(p, ids, i * idLen, idLen);
      if (offset >= 0 && offset < 2 ** 40) keys[i] = n * 2 ** 40 + offset;
    }
  });
  const order = Int32Array.from(shas.keys()).sort((a, b) => keys[a] - keys[b] || a - b);
  return { order, complete: complete && read === paths.length };
}

/**
 * Every id is looked up in each pack until found: past this many packs only the largest are
 * read (the deep delta chains are in the large packs a repack leaves; a small pack's few
 * objects cost git little in any order).
 */
const MAX_PACKS = 8;

/**
 * An index is read whole: a larger one (over a million objects, a large code repository's
 * store branch) is left out, and its objects asked in the order given.
 */
const MAX_INDEX_BYTES = 48 * 1024 * 1024;

/** The pack indexes to read, largest first, and whether they are all of them. */
function packIndexes(repo: Repo): { paths: string[]; complete: boolean } {
  const dir = join(repo.commonDir, 'objects', 'pack');
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.idx'));
  } catch {
    return { paths: [], complete: true }; // no pack directory: no packed object
  }
  const sized = names.map((f) => {
    const path = join(dir, f);
    try {
      return { path, size: statSync(path).size };
    } catch {
      return { path, size: Number.POSITIVE_INFINITY };
    }
  });
  const readable = sized.filter((p) => p.size <= MAX_INDEX_BYTES);
  readable.sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1));
  const paths = readable.slice(0, MAX_PACKS).map((p) => p.path);
  return { paths, complete: paths.length === names.length };
}
