import { createHash } from 'node:crypto';
import type { ObjectFormat } from './objectFormat.js';

/** One object of a pack: its id (hex), where its entry starts, and the CRC-32 of the entry's bytes. */
export interface PackEntry {
  sha: string;
  offset: number;
  crc: number;
}

const MAGIC = Buffer.from([0xff, 0x74, 0x4f, 0x63]); // "\377tOc"
/** Offsets from here on go to the table of 8-byte offsets (the 4-byte one's top bit says so). */
const LARGE = 0x80000000;

/**
 * The version 2 index of a pack (gitformat-pack(5)): the same bytes `git index-pack` writes
 * for it, so git reads the pack as one of its own. `entries` have distinct ids; `packChecksum`
 * is the pack's trailing hash.
 */
export function packIndex(entries: readonly PackEntry[], packChecksum: Buffer, format: ObjectFormat): Buffer {
  const sorted = [...entries].sort((a, b) => (a.sha < b.sha ? -1 : a.sha > b.sha ? 1 : 0));
  const idLen = format === 'sha256' ? 32 : 20;
  const n = sorted.length;
  const large = sorted.filter((e) => e.offset >= LARGE);
  const out = Buffer.alloc(8 + 256 * 4 + n * (idLen + 8) + large.length * 8 + 2 * idLen);
  MAGIC.copy(out, 0);
  out.writeUInt32BE(2, 4);
  const fanout = new Uint32Array(256);
  for (const e of sorted) fanout[Number.parseInt(e.sha.slice(0, 2), 16)]++;
  let running = 0;
  for (let b = 0; b < 256; b++) {
    running += fanout[b];
    out.writeUInt32BE(running, 8 + b * 4);
  }
  const names = 8 + 256 * 4;
  const crcs = names + n * idLen;
  const offsets = crcs + n * 4;
  const largeAt = offsets + n * 4;
  let nextLarge = 0;
  sorted.forEach((e, i) => {
    out.write(e.sha, names + i * idLen, idLen, 'hex');
    out.writeUInt32BE(e.crc >>> 0, crcs + i * 4);
    if (e.offset < LARGE) {
      out.writeUInt32BE(e.offset, offsets + i * 4);
      return;
    }
    out.writeUInt32BE((LARGE | nextLarge) >>> 0, offsets + i * 4);
    out.writeBigUInt64BE(BigInt(e.offset), largeAt + nextLarge * 8);
    nextLarge++;
  });
  const end = largeAt + large.length * 8;
  packChecksum.copy(out, end);
  createHash(format)
    .update(out.subarray(0, end + idLen))
    .digest()
    .copy(out, end + idLen);
  return out;
}
