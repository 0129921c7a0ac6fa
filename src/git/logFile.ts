import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import type * as Os from 'node:os';
import { join } from 'node:path';
import { lazyBuiltin } from '../model/lazyBuiltin.js';
import {
  LOG_FIRST_RECORD,
  LOG_RECORD_SEPARATOR,
  logArgs,
  parseLogRecord,
  type LogCommit,
  type LogPart,
} from './log.js';
import { parseRawDiff, type DiffEntry } from './treeListing.js';
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
 * history of a million commits costs the same memory as one of ten; `parts` reads a commit of
 * 100,000 files a few thousand files at a time.
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

  /** The commits, oldest first, each whole; may be walked more than once. */
  *commits(): Generator<LogCommit> {
    for (const rec of this.records()) yield parseLogRecord(this.whole(rec).toString('utf8'));
  }

  /**
   * The commits, oldest first, in parts of at most `maxChanges` changed files: a commit
   * longer than the window is read a window at a time, never whole. The parts of a commit in
   * several say which keys of their files' paths (`keyOf`) more than one change has. With
   * `messageOnce`, only a commit's first part carries its message and trailers (the others
   * an empty message and none): an import's commit names its 100,000 tickets in trailers,
   * ~6.5 MB that a caller writing them from the first part need not keep through the rest.
   */
  *parts(
    maxChanges: number,
    keyOf: (path: string) => string | null = () => null,
    { messageOnce = false } = {},
  ): Generator<LogPart> {
    for (const rec of this.records()) {
      if (!Buffer.isBuffer(rec)) {
        yield* this.spanParts(rec, maxChanges, keyOf, messageOnce);
        continue;
      }
      let c = parseLogRecord(rec.toString('utf8'));
      const repeated = c.changes.length > maxChanges ? repeatedKeys(c.changes, keyOf) : undefined;
      for (let at = 0, part = 0; at === 0 || at < c.changes.length; at += maxChanges, part++) {
        const changes = c.changes.slice(at, at + maxChanges);
        yield { ...c, changes, part, more: at + maxChanges < c.changes.length, ...(repeated && { repeated }) };
        if (messageOnce) c = withoutMessage(c);
      }
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
  }

  /** A commit's bytes, read whole when records() gave only where it is. */
  private whole(rec: Buffer | Span): Buffer {
    if (Buffer.isBuffer(rec)) return rec;
    const buf = Buffer.allocUnsafe(rec.end - rec.start);
    this.readAt(buf, rec.start, buf.length);
    return buf;
  }

  /** A commit longer than the window, parsed as it is read: its header, then its changes in parts. */
  private *spanParts(
    span: Span,
    maxChanges: number,
    keyOf: (path: string) => string | null,
    messageOnce: boolean,
  ): Generator<LogPart> {
    // A first pass finds the keys to pair (a ticket moved within the commit); a second gives the parts.
    const repeated = repeatedKeys(this.spanChanges(span, null), keyOf);
    let changes: DiffEntry[] = [];
    let part = 0;
    const head: { commit: LogCommit | null } = { commit: null };
    for (const change of this.spanChanges(span, head)) {
      changes.push(change);
      if (changes.length >= maxChanges) {
        yield { ...head.commit!, changes, part: part++, more: true, repeated };
        if (messageOnce) head.commit = withoutMessage(head.commit!);
        changes = [];
      }
    }
    if (head.commit) yield { ...head.commit, changes, part, more: false, repeated };
  }

  /** The changes of a commit read as it goes; its header (without changes) into `head`. */
  private *spanChanges(span: Span, head: { commit: LogCommit | null } | null): Generator<DiffEntry> {
    let first = true;
    let status: string | null = null; // a change's first token, waiting for its path
    for (const token of this.tokens(span)) {
      if (first) {
        first = false;
        if (head) head.commit = parseLogRecord(token);
      } else if (token === '' || token === '\n') continue;
      else if (status === null) status = token;
      else {
        yield* parseRawDiff([status, token]).entries;
        status = null;
      }
    }
  }

  /** The NUL-ended tokens of a span of the file, decoded one by one (the last may end with the span). */
  private *tokens(span: Span): Generator<string> {
    const buf = Buffer.allocUnsafe(this.chunkBytes);
    // A token longer than a chunk (a long message) is gathered in pieces, joined once.
    let pieces: Buffer[] = [];
    for (let at = span.start; at < span.end; ) {
      const n = this.readAt(buf, at, Math.min(this.chunkBytes, span.end - at));
      if (n === 0) break;
      at += n;
      const data = buf.subarray(0, n);
      let from = 0;
      for (let nul = data.indexOf(0); nul >= 0; nul = data.indexOf(0, from)) {
        const end = data.subarray(from, nul);
        yield pieces.length ? Buffer.concat([...pieces, end]).toString('utf8') : end.toString('utf8');
        pieces = [];
        from = nul + 1;
      }
      // Copied: the chunk's buffer is read into again.
      if (from < n) pieces.push(Buffer.from(data.subarray(from)));
    }
    if (pieces.length) yield Buffer.concat(pieces).toString('utf8');
  }

  /**
   * Each commit's bytes, without the separator before it (see LOG_RECORD_SEPARATOR): a view
   * of a window of the file, valid until the next step. A commit longer than the window is
   * found by scanning on, and given as where it is in the file.
   */
  private *records(): Generator<Buffer | Span> {
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
        yield { start, end };
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

/** A commit's header for its parts after the first (LogFile.parts' `messageOnce`). */
function withoutMessage(c: LogCommit): LogCommit {
  return { ...c, message: '', trailers: {} };
}

/** The keys more than one of `changes` has (null: a change with none). */
function repeatedKeys(changes: Iterable<DiffEntry>, keyOf: (path: string) => string | null): Set<string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const c of changes) {
    const key = keyOf(c.path);
    if (key === null) continue;
    if (seen.has(key)) repeated.add(key);
    else seen.add(key);
  }
  return repeated;
}

/** Where a commit is in the log file: [start, end). */
interface Span {
  start: number;
  end: number;
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
