import type * as Os from 'node:os';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { lazyBuiltin } from '../model/lazyBuiltin.js';
import { hashObject, objectFormat, type ObjectFormat } from './objectFormat.js';
import type { Repo } from './repo.js';
import { gitRaw } from './run.js';

const os = lazyBuiltin<typeof Os>('node:os');

/**
 * From this many blobs on, a commit's blobs go into one pack written by one
 * `git fast-import` instead of one loose file each: creating a file costs about half a
 * millisecond (more on a busy disk), so 100,000 loose blobs took most of an import's time,
 * and then as long again to pack.
 */
export const PACKED_BLOBS_FROM = 256;

/** How much of the stream is gathered before one write to the spool file. */
const SPOOL_CHUNK = 1 << 20;

/**
 * Blobs for one new pack, added one at a time: each goes at once into a `git fast-import`
 * stream spooled to a temporary file, and `finish` packs them all with one git run (blobs
 * only: no ref moves, no commit). Memory does not grow with their number (an import of
 * 100,000 tickets held ~100 MB of them). The ids are computed here, as git does, so no marks
 * file is read back; fast-import checks each object it writes and skips those already packed.
 */
export class BlobPack {
  private readonly format: ObjectFormat;
  private readonly dir: string;
  private fd: number | null;
  private chunk: Buffer[] = [];
  private chunkBytes = 0;
  /** Blobs added so far. */
  count = 0;

  constructor(private readonly repo: Repo) {
    this.format = objectFormat(repo);
    this.dir = mkdtempSync(join(os().tmpdir(), 'tack-pack-'));
    this.fd = openSync(join(this.dir, 'stream'), 'wx', 0o600);
  }

  /** Add one blob; returns its id. */
  add(text: string): string {
    if (this.fd === null) throw new Error('BlobPack used after finish or abandon');
    const body = Buffer.from(text, 'utf8');
    this.push(Buffer.from(`blob\ndata ${body.length}\n`), body, Buffer.from('\n'));
    this.count++;
    return hashObject(this.format, 'blob', body);
  }

  /** Pack every blob added (none: nothing is run), then remove the spool. */
  finish(): void {
    try {
      if (this.count === 0) return;
      // --done: a stream cut short (a crash of ours) writes nothing rather than a partial pack.
      this.push(Buffer.from('done\n'));
      this.flush();
      const input = openSync(join(this.dir, 'stream'), 'r');
      try {
        gitRaw(['fast-import', '--quiet', '--done'], { cwd: this.repo.workTree, stdinFd: input });
      } finally {
        closeSync(input);
      }
    } finally {
      this.abandon();
    }
  }

  /** Drop the spool without packing (a plan that failed, or was computed again on a newer head). */
  abandon(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.chunk = [];
    rmSync(this.dir, { recursive: true, force: true });
  }

  private push(...parts: Buffer[]): void {
    for (const p of parts) {
      this.chunk.push(p);
      this.chunkBytes += p.length;
    }
    if (this.chunkBytes >= SPOOL_CHUNK) this.flush();
  }

  private flush(): void {
    if (this.fd === null) throw new Error('BlobPack used after finish or abandon');
    const all = Buffer.concat(this.chunk, this.chunkBytes);
    for (let at = 0; at < all.length; ) at += writeSync(this.fd, all, at);
    this.chunk = [];
    this.chunkBytes = 0;
  }
}

/** Write blobs into one new pack, returning their ids in order (see BlobPack). */
export function writePackedBlobs(repo: Repo, contents: Iterable<string>): string[] {
  const pack = new BlobPack(repo);
  let ids: string[];
  try {
    ids = Array.from(contents, (text) => pack.add(text));
  } catch (e) {
    pack.abandon();
    throw e;
  }
  pack.finish();
  return ids;
}
