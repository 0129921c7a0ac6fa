import { deflateSync } from 'node:zlib';

/**
 * zlib's output chunk for one object. Node's default (16 KiB) is allocated afresh for every
 * call and freed only by a later collection: a write of 100,000 files makes ~1,300 trees, and
 * their chunks reached 43 MB outside the heap on Node 24 (22 on Node 22). Most objects we
 * write (a ticket, a tree of a fan-out folder) are a few KiB.
 */
const CHUNK = 4096;

/**
 * An object's bytes as git stores them, compressed at level 1 (git's own default for loose
 * objects, core.looseCompression, and what we write into packs).
 */
export function deflateObject(bytes: Buffer): Buffer {
  return deflateSync(bytes, { level: 1, chunkSize: CHUNK });
}
