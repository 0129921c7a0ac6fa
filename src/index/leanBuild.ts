import type * as V8 from 'node:v8';
import { lazyBuiltin } from '../model/lazyBuiltin.js';
import { MMAP_BYTES, type DB } from './indexDb.js';

const v8 = lazyBuiltin<typeof V8>('node:v8');

/**
 * How far V8 lets the heap grow past what a full build keeps alive before it collects the
 * old generation: 1.3× (V8's own heuristics let it reach 2–3× while a build allocates fast).
 */
const BUILD_HEAP_GROWING_PERCENT = 30;

let depth = 0;

/** Lean phases under way on each connection: its map is given back when the last one ends. */
const unmapped = new WeakMap<DB, number>();

/**
 * A full build writes every row of the index in one transaction: its peak memory, not its
 * speed, is what a large store feels. While it runs, the index file is read without a
 * memory map (dropping the old tables and creating the indexes touch every page, and each
 * page mapped counts in the process's memory), and V8 collects the old generation sooner.
 * Measured at 100,000 tickets on Node 22: `reindex` peaks at ~395 MiB instead of 520–630, a
 * first build at ~330 instead of ~470, in the same time; Node 24's peak does not move
 * (bench/README.md, docs/decisions.md). Returns what puts both back; nested builds restore
 * once, at the end. The map is the connection's own: a build inside another lean phase
 * (an import's, which has no index of its own) still reads unmapped.
 */
export function leanWhileBuilding(db: DB, growingPercent = BUILD_HEAP_GROWING_PERCENT): () => void {
  const phases = unmapped.get(db) ?? 0;
  if (phases === 0) db.pragma('mmap_size = 0');
  unmapped.set(db, phases + 1);
  const heap = leanHeap(growingPercent);
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    heap();
    const left = (unmapped.get(db) ?? 1) - 1;
    unmapped.set(db, left);
    if (left === 0 && db.open) db.pragma(`mmap_size = ${MMAP_BYTES}`);
  };
}

/**
 * V8 collects the old generation sooner until the returned function is called (which says
 * whether it put V8's own heuristics back: false while an outer lean phase goes on). For
 * work that reads every ticket once (doctor's scan) as much as for a build. The outermost
 * phase's `growingPercent` holds until it ends.
 */
export function leanHeap(growingPercent = BUILD_HEAP_GROWING_PERCENT): () => boolean {
  if (depth++ === 0) v8().setFlagsFromString(`--heap-growing-percent=${growingPercent}`);
  let restored = false;
  return () => {
    if (restored) return false;
    restored = true;
    if (--depth > 0) return false;
    // 0 is V8's default: its own growing heuristics.
    v8().setFlagsFromString('--heap-growing-percent=0');
    return true;
  };
}
