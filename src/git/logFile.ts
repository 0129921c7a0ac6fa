import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import type * as Os from 'node:os';
import { join } from 'node:path';
import { lazyBuiltin } from '../model/lazyBuiltin.js';
import { LOG_FIRST_RECORD, LOG_RECORD_SEPARATOR, logArgs, parseLogRecord, type LogCommit } from './log.js';
import type { Repo } from './repo.js';
import { git, gitRaw } from './run.js';

const os = lazyBuiltin<typeof Os>('node:os');

/** Bytes read from the file at a time. */
const CHUNK = 1024 * 1024;
const SEPARATOR = Buffer.from(LOG_RECORD_SEPARATOR, 'latin1');
const FIRST = Buffer.from(LOG_FIRST_RECORD, 'latin1');

/**
 * The commits of `range` with the files each changed under `prefix`, oldest first, read one
 * at a time: git writes its log into a temporary file (unlinked as soon as it is open, so
 * nothing is left behind), and the reader holds one commit and one chunk of the file. A
 * history of a million commits costs the same memory as one of ten (a single commit of
 * 100,000 files is still read whole).
 */
export class LogFile {
  /** The temporary file; null when none could be made (then the log is held in `data`). */
  private readonly fd: number | null;
  private readonly data: Buffer | null = null;
  private counted: number | null = null;
  private readonly chunkBytes: number;

  /** `chunkBytes`: the window read at a time (small ones in tests walk every border case). */
  constructor(repo: Repo, range: string, prefix = '', chunkBytes = CHUNK) {
    this.chunkBytes = Math.max(chunkBytes, 2 * SEPARATOR.length);
    const args = logArgs(range, prefix, true);
    this.fd = openTemporary();
    // No temporary directory to write in (read-only, full): the log in memory, as before.
    if (this.fd === null) this.data = gitRaw(args, { cwd: repo.workTree }).stdout;
    else
      try {
        git(args, { cwd: repo.workTree, stdoutFd: this.fd });
      } catch (e) {
        closeSync(this.fd);
        throw e;
      }
  }

  /** How many commits the log holds (one pass over the file). */
  count(): number {
    if (this.counted === null) {
      let n = 0;
      for (const _ of this.records()) n++;
      this.counted = n;
    }
    return this.counted;
  }

  /** The commits, oldest first; may be walked more than once. */
  *commits(): Generator<LogCommit> {
    for (const rec of this.records()) yield parseLogRecord(rec.toString('utf8'));
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
  }

  /**
   * Each commit's bytes, without the separator before it (see LOG_RECORD_SEPARATOR): a view
   * of a window of the file, valid until the next step. A commit longer than the window is
   * found by scanning on and read whole, once.
   */
  private *records(): Generator<Buffer> {
    const size = this.data ? this.data.length : fstatSync(this.fd!).size;
    const win = Buffer.allocUnsafe(this.chunkBytes);
    let winAt = 0;
    let winLen = this.readAt(win, 0, Math.min(this.chunkBytes, size));
    if (winLen < FIRST.length || !win.subarray(0, FIRST.length).equals(FIRST)) return; // no commits
    let start = FIRST.length;
    while (start < size) {
      const found = win.subarray(start - winAt, winLen).indexOf(SEPARATOR);
      if (found >= 0) {
        yield win.subarray(start - winAt, start - winAt + found);
        start += found + SEPARATOR.length;
      } else if (winAt + winLen >= size) {
        yield win.subarray(start - winAt, winLen); // the last commit
        return;
      } else if (start > winAt) {
        winAt = start; // the commit's start to the window's: search again with more of it
        winLen = this.readAt(win, winAt, Math.min(this.chunkBytes, size - winAt));
      } else {
        const end = this.separatorAfter(winAt + winLen - (SEPARATOR.length - 1), size);
        const whole = Buffer.allocUnsafe(end - start);
        this.readAt(whole, start, whole.length);
        yield whole;
        start = end + SEPARATOR.length;
        winAt = Math.min(start, size);
        winLen = this.readAt(win, winAt, Math.min(this.chunkBytes, size - winAt));
      }
    }
  }

  /** Where the next separator at or after `from` starts (the file's size: none). */
  private separatorAfter(from: number, size: number): number {
    const buf = Buffer.allocUnsafe(this.chunkBytes);
    // Windows overlap by the separator's length less one: none is missed across a border.
    for (let at = from; at < size; at += this.chunkBytes - (SEPARATOR.length - 1)) {
      const n = this.readAt(buf, at, Math.min(this.chunkBytes, size - at));
      const found = buf.subarray(0, n).indexOf(SEPARATOR);
      if (found >= 0) return at + found;
      if (at + n >= size) break;
    }
    return size;
  }

  /** Read `length` bytes at `position` into the start of `buf`; returns how many (fewer only at the end). */
  private readAt(buf: Buffer, position: number, length: number): number {
    if (this.data) return this.data.copy(buf, 0, position, position + length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd!, buf, done, length - done, position + done);
      if (n === 0) break;
      done += n;
    }
    return done;
  }
}

/** A new file in a new temporary directory, open for reading and writing and already unlinked; null when none can be made. */
function openTemporary(): number | null {
  let dir: string;
  try {
    dir = mkdtempSync(join(os().tmpdir(), 'tack-log-'));
  } catch {
    return null;
  }
  try {
    return openSync(join(dir, 'log'), 'w+', 0o600);
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
