import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import type * as Os from 'node:os';
import { join } from 'node:path';
import { lazyBuiltin } from '../model/lazyBuiltin.js';
import { LOG_FIRST_RECORD, LOG_RECORD_SEPARATOR, logArgs, parseLogRecord, type LogCommit } from './log.js';
import type { Repo } from './repo.js';
import { git } from './run.js';

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
  private readonly fd: number;
  private counted: number | null = null;

  constructor(repo: Repo, range: string, prefix = '') {
    const dir = mkdtempSync(join(os().tmpdir(), 'tack-log-'));
    let fd: number | null = null;
    try {
      fd = openSync(join(dir, 'log'), 'w+', 0o600);
      git(logArgs(range, prefix, true), { cwd: repo.workTree, stdoutFd: fd });
      this.fd = fd;
    } catch (e) {
      if (fd !== null) closeSync(fd);
      throw e;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** How many commits the log holds (one pass over the file, counting record starts). */
  count(): number {
    if (this.counted === null) {
      let n = 0;
      for (const rec of this.records()) if (rec) n++;
      this.counted = n;
    }
    return this.counted;
  }

  /** The commits, oldest first; may be walked more than once. */
  *commits(): Generator<LogCommit> {
    for (const rec of this.records()) yield parseLogRecord(rec.toString('utf8'));
  }

  close(): void {
    closeSync(this.fd);
  }

  /** Each commit's bytes, without the separator before it (see LOG_RECORD_SEPARATOR). */
  private *records(): Generator<Buffer> {
    let pending = Buffer.alloc(0);
    let pos = 0;
    let first = true;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK);
      const n = readSync(this.fd, chunk, 0, CHUNK, pos);
      pos += n;
      let buf = pending.length ? Buffer.concat([pending, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      if (first) {
        if (buf.length < FIRST.length && n > 0) {
          pending = buf;
          continue;
        }
        if (!buf.subarray(0, FIRST.length).equals(FIRST)) return; // no commits (or not git's log)
        buf = buf.subarray(FIRST.length);
        first = false;
      }
      let start = 0;
      for (let at = buf.indexOf(SEPARATOR); at >= 0; at = buf.indexOf(SEPARATOR, start)) {
        yield buf.subarray(start, at);
        start = at + SEPARATOR.length;
      }
      pending = buf.subarray(start);
      if (n === 0) {
        if (pending.length) yield pending;
        return;
      }
    }
  }
}
