import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import type * as Os from 'node:os';
import { join } from 'node:path';
import { OVERSIZE } from '../model/boundedYaml.js';
import { lazyBuiltin } from '../model/lazyBuiltin.js';
import type { Repo } from './repo.js';
import { gitIntoFile, type BackgroundGit } from './run.js';

const os = lazyBuiltin<typeof Os>('node:os');

/** Room for a `cat-file --batch` header: "<sha-256 hex> <type> <size>\n". */
const HEADER_BYTES = 128;

/** How long a reader waits for git to write more before it looks again. */
const POLL_MS = 2;

/**
 * Many blobs, read by one `git cat-file --batch` into a temporary file, then each read from
 * the file when it is asked for, as often as it is. One git process for a whole history: git
 * resolves delta chains with a cache that a process warms up, so a batch per process costs
 * several times more (a full rebuild of 100,000 tickets read its 127,000 versions in 1.5 s
 * of git with one process, 11 s with 38). Git runs beside the caller (gitIntoFile): a blob is
 * read as soon as git has written it. Memory holds the blobs asked for, not the file.
 *
 * The caller names the blobs with their sizes (from `blobSizes`): a blob over `maxBytes` is
 * never asked of git, so neither memory nor the temporary file ever holds it, nor is one git
 * has none (no size). The file is unlinked
 * as soon as it is open: nothing is left behind, whatever ends the process.
 */
export class BlobFile {
  private readonly fd: number;
  private readonly git: BackgroundGit;
  /** Where each blob's content starts in the file and its size, for the entries read so far. */
  private readonly at = new Map<string, { pos: number; size: number }>();
  /** Offset of the first entry whose header is not read yet. */
  private scanned = 0;
  private readonly header = Buffer.alloc(HEADER_BYTES);

  constructor(
    repo: Repo,
    private readonly sizes: ReadonlyMap<string, number>,
    private readonly maxBytes: number,
  ) {
    const asked = [...sizes].filter(([, size]) => size <= maxBytes).map(([sha]) => sha);
    const dir = mkdtempSync(join(os().tmpdir(), 'tack-blobs-'));
    try {
      const path = join(dir, 'objects');
      // Made here, so it can be opened whatever becomes of git (nothing read: the caller falls back).
      closeSync(openSync(path, 'w'));
      this.git = gitIntoFile(['cat-file', '--batch'], {
        cwd: repo.workTree,
        input: `${asked.join('\n')}\n`,
        path,
      });
      this.fd = openSync(path, 'r');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /**
   * The blob `sha`, or undefined when it was not named (or git has no such object): read it
   * some other way. A blob over the limit is an empty buffer carrying its size under
   * OVERSIZE, as readBlobs gives.
   */
  take(sha: string): Buffer | undefined {
    const size = this.sizes.get(sha);
    if (size === undefined || Number.isNaN(size)) return undefined;
    if (size > this.maxBytes) return Object.assign(Buffer.alloc(0), { [OVERSIZE]: size });
    while (!this.at.has(sha) && this.scanNext());
    const where = this.at.get(sha);
    return where ? this.read(where.pos, where.size) : undefined;
  }

  /** Read the next entry's header; false at the end (or on an answer it cannot read). */
  private scanNext(): boolean {
    let nl = -1;
    for (;;) {
      const ended = this.git.finished(); // before the read: then nothing more can come after it
      const n = readSync(this.fd, this.header, 0, HEADER_BYTES, this.scanned);
      nl = this.header.subarray(0, n).indexOf(10);
      if (nl >= 0) break;
      if (ended || n === HEADER_BYTES) return false;
      this.git.wait(POLL_MS);
    }
    const fields = this.header.toString('latin1', 0, nl).split(' ');
    this.scanned += nl + 1;
    // "<name> missing": git has no such object; the rest of the file goes on.
    if (fields.length !== 3 || !/^\d+$/.test(fields[2])) return true;
    const size = Number(fields[2]);
    this.at.set(fields[0], { pos: this.scanned, size });
    this.scanned += size + 1;
    return true;
  }

  /** `size` bytes at `pos`, waiting for git to write them; undefined if it ended first. */
  private read(pos: number, size: number): Buffer | undefined {
    const body = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const ended = this.git.finished();
      const r = readSync(this.fd, body, got, size - got, pos + got);
      got += r;
      if (r > 0) continue;
      if (ended) return undefined;
      this.git.wait(POLL_MS);
    }
    return body;
  }

  close(): void {
    closeSync(this.fd);
  }
}
