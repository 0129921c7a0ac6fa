import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import type * as Os from 'node:os';
import { join } from 'node:path';
import { OVERSIZE } from '../model/boundedYaml.js';
import { lazyBuiltin } from '../model/lazyBuiltin.js';
import type { Repo } from './repo.js';
import { gitIntoFile, type BackgroundGit } from './run.js';
import { packOrder } from './packOrder.js';

const os = lazyBuiltin<typeof Os>('node:os');

/** Room for a `cat-file --batch` header: "<sha-256 hex> <type> <size>\n". */
const HEADER_BYTES = 128;

/**
 * Git's cache of delta bases while it reads the blobs (96 MiB by default, all of which a read
 * of 68,000 versions filled: that `cat-file` peaked at 158 MiB, more than the command that
 * ran it). Asked in pack order (packOrder), a chain's bases are the objects just read, so a
 * small cache serves as well: measured in bench/README.md.
 */
const DELTA_BASE_CACHE = '24m';

/** A header line longer than any git writes: the file cannot be read on. */
const TOO_LONG = -2;

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
  /** Each named blob's place in `keys`, `sizes` and `pos` (one map: at 100,000 blobs a map of
   * sizes and one of places read held ~20 MB, doctor's largest part after its scan). */
  private readonly index = new Map<string, number>();
  /** Where each blob's content starts in the file: -1 until its header is read (or if git has none). */
  private readonly pos: Float64Array;
  /** The blob the k-th answer of git is for: git answers in the order asked (the packs' order). */
  private readonly order: Int32Array;
  /** Answers whose header is read so far. */
  private answered = 0;
  /** Offset of the first entry whose header is not read yet. */
  private scanned = 0;
  private readonly header = Buffer.alloc(HEADER_BYTES);

  /** `keys`: the blobs (no repeats), with their sizes in `sizes` (NaN: git has none). */
  constructor(
    repo: Repo,
    private readonly keys: readonly string[],
    private readonly sizes: readonly number[],
    private readonly maxBytes: number,
  ) {
    const wanted: number[] = [];
    for (let i = 0; i < keys.length; i++) {
      this.index.set(keys[i], i);
      if (sizes[i] <= maxBytes) wanted.push(i);
    }
    const placed = packOrder(
      repo,
      wanted.map((k) => keys[k]),
    );
    const asked = Array.from(placed.order, (j) => wanted[j]);
    this.pos = new Float64Array(keys.length).fill(-1);
    this.order = Int32Array.from(asked);
    const dir = mkdtempSync(join(os().tmpdir(), 'tack-blobs-'));
    try {
      const path = join(dir, 'objects');
      // Made here, so it can be opened whatever becomes of git (nothing read: the caller falls back).
      closeSync(openSync(path, 'w'));
      const inputPath = join(dir, 'names');
      writeNames(inputPath, asked, keys);
      const into = { cwd: repo.workTree, inputPath, path };
      // In an order partly unknown, a small cache is read through again and again (5× slower).
      const cache = placed.complete ? ['-c', `core.deltaBaseCacheLimit=${DELTA_BASE_CACHE}`] : [];
      const args = [...cache, 'cat-file', '--batch'];
      this.git = gitIntoFile(args, into);
      this.fd = openSync(path, 'r');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** The size of blob `sha` from its header, or undefined when it was not named or git has none. */
  sizeOf(sha: string): number | undefined {
    const i = this.index.get(sha);
    const size = i === undefined ? Number.NaN : this.sizes[i];
    return Number.isNaN(size) ? undefined : size;
  }

  /**
   * The blob `sha`, or undefined when it was not named (or git has no such object): read it
   * some other way. A blob over the limit is an empty buffer carrying its size under
   * OVERSIZE, as readBlobs gives.
   */
  take(sha: string): Buffer | undefined {
    const i = this.index.get(sha);
    if (i === undefined) return undefined;
    const size = this.sizes[i];
    if (Number.isNaN(size)) return undefined;
    if (size > this.maxBytes) return Object.assign(Buffer.alloc(0), { [OVERSIZE]: size });
    while (this.pos[i] < 0 && this.scanNext());
    return this.pos[i] < 0 ? undefined : this.read(this.pos[i], size);
  }

  /** Read the next entry's header; false at the end (or on an answer it cannot read). */
  private scanNext(): boolean {
    if (this.answered >= this.order.length) return false;
    let nl: number;
    let ended = false;
    for (;;) {
      nl = this.headerLine();
      if (nl !== -1) break;
      if (ended) return false;
      // Asked only when git is behind (it reads /proc), and before the next read: if git had
      // ended by then, what that read lacks never comes.
      ended = this.git.finished();
      if (!ended) this.git.wait(POLL_MS);
    }
    if (nl === TOO_LONG) return false;
    const fields = this.header.toString('latin1', 0, nl).split(' ');
    this.scanned += nl + 1;
    const i = this.order[this.answered++];
    // "<name> missing": git has no such object; the rest of the file goes on.
    if (fields.length !== 3 || !/^\d+$/.test(fields[2])) return true;
    const size = Number(fields[2]);
    // An answer for another blob than asked, or of another size: the file cannot be trusted from here.
    if (fields[0] !== this.keys[i] || size !== this.sizes[i]) return false;
    this.pos[i] = this.scanned;
    this.scanned += size + 1;
    return true;
  }

  /** Where the next header's line ends in `header`: -1 while git has not written it all, TOO_LONG for no header. */
  private headerLine(): number {
    const n = readSync(this.fd, this.header, 0, HEADER_BYTES, this.scanned);
    const nl = this.header.subarray(0, n).indexOf(10);
    return nl < 0 && n === HEADER_BYTES ? TOO_LONG : nl;
  }

  /** `size` bytes at `pos`, waiting for git to write them; undefined if it ended first. */
  private read(pos: number, size: number): Buffer | undefined {
    const body = Buffer.allocUnsafe(size);
    let got = 0;
    let ended = false;
    while (got < size) {
      const r = readSync(this.fd, body, got, size - got, pos + got);
      got += r;
      if (r > 0) continue;
      if (ended) return undefined;
      ended = this.git.finished(); // as in scanNext
      if (!ended) this.git.wait(POLL_MS);
    }
    return body;
  }

  /** Done with it: git stops if it has not ended (a reader that stops early leaves no git running). */
  close(): void {
    this.git.stop();
    closeSync(this.fd);
  }
}

/** The names git is asked for, a line each, written a few thousand at a time (never one string of them all). */
function writeNames(path: string, asked: readonly number[], keys: readonly string[]): void {
  const fd = openSync(path, 'w');
  try {
    for (let i = 0; i < asked.length; i += NAMES_AT_ONCE) {
      const lines = asked.slice(i, i + NAMES_AT_ONCE).map((k) => keys[k]);
      writeSync(fd, `${lines.join('\n')}\n`);
    }
  } finally {
    closeSync(fd);
  }
}

const NAMES_AT_ONCE = 4096;
