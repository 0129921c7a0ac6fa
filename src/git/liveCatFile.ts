import type * as ChildProcess from 'node:child_process';
import { TackError } from '../model/errors.js';
import type { GitObject } from './objects.js';
import type { Repo } from './repo.js';
import { beforeGitRequest, gitLive } from './run.js';

/**
 * Git's cache of delta bases (96 MiB by default): a process that lives as long as the server
 * would fill it over the hours; the few objects of a group need far less.
 */
const DELTA_BASE_CACHE = '16m';
/** A git that was asked nothing for this long ends (it comes back with the next request). */
const IDLE_MS = 5000;
/** "<id> <type> <size>", the header of an object git has; anything else answers no object. */
const FOUND = /^([0-9a-f]{40}|[0-9a-f]{64}) ([a-z]+) (\d+)$/;
/** The longest header line git writes, with the name asked, before we stop reading it as one. */
const MAX_HEADER = 64 * 1024;
/**
 * Larger objects are answered null, their bytes passed over as they come: a hostile ticket
 * file of gigabytes costs no memory here (the reader that wants it reads it within its own
 * bounds), and a read-ahead keeps only small objects anyway.
 */
const MAX_OBJECT = 1024 * 1024;

interface Request {
  answers: Array<GitObject | null>;
  wanted: number;
  resolve: (objects: Array<GitObject | null>) => void;
  reject: (e: Error) => void;
}

/**
 * One `git cat-file --batch` that answers request after request, for a process that reads
 * a few objects many times a second (the server's write lane, before each group of writes):
 * a process costs 7–14 ms to start on a slow VM, more than the reading. Asynchronous, so it
 * serves only callers that can wait. It ends after IDLE_MS without a request, and never
 * keeps this process alive by itself. If git ends or fails, the requests waiting fail, and
 * the next one starts a new git.
 */
export class LiveCatFile {
  private child: ChildProcess.ChildProcess | null = null;
  private readonly queue: Request[] = [];
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /**
   * The object whose body is being read: its header, and the body's bytes so far (no `buf`:
   * an object over maxBytes, passed over); `size` counts the line break after the body.
   */
  private body: { header: RegExpExecArray; buf: Buffer | null; size: number; filled: number } | null = null;
  private idle: NodeJS.Timeout | null = null;

  constructor(
    private readonly repo: Repo,
    private readonly maxBytes = MAX_OBJECT,
  ) {}

  /** The objects named (ids, `<commit>:<path>`; no line breaks), in order; null where git has none. */
  read(names: readonly string[]): Promise<Array<GitObject | null>> {
    if (names.length === 0) return Promise.resolve([]);
    if (names.some((n) => /[\r\n\0]/.test(n))) throw new Error('LiveCatFile: a name with a line break or a NUL');
    beforeGitRequest();
    const child = this.start();
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    return new Promise((resolve, reject) => {
      this.queue.push({ answers: [], wanted: names.length, resolve, reject });
      this.keepAlive(true);
      child.stdin!.write(`${names.join('\n')}\n`);
    });
  }

  /** End git now (requests waiting fail). */
  close(): void {
    this.fail(new TackError('git_failed', 'git cat-file was closed'));
  }

  private start(): ChildProcess.ChildProcess {
    if (this.child) return this.child;
    const child = gitLive(
      ['-c', `core.deltaBaseCacheLimit=${DELTA_BASE_CACHE}`, 'cat-file', '--batch'],
      this.repo.workTree,
    );
    this.child = child;
    const lost = (why: string) => {
      if (this.child === child) this.fail(new TackError('git_failed', `git cat-file --batch ${why}`));
    };
    child.on('error', (e) => lost(`could not run: ${e.message}`));
    child.on('exit', (code, sig) => lost(`ended (${sig ?? `exit ${code}`})`));
    child.stdin!.on('error', (e) => lost(`stopped reading: ${e.message}`));
    child.stdout!.on('data', (chunk: Buffer) => this.take(chunk));
    this.keepAlive(false);
    return child;
  }

  /** Referenced only while a request waits: an idle git never holds this process open. */
  private keepAlive(on: boolean): void {
    const c = this.child;
    if (!c) return;
    for (const h of [c, c.stdin, c.stdout] as Array<{ ref(): void; unref(): void } | null>) {
      if (on) h?.ref();
      else h?.unref();
    }
  }

  private take(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length && this.queue.length > 0) {
      if (this.body) {
        const b = this.body;
        const n = Math.min(chunk.length - at, b.size - b.filled);
        b.buf?.set(chunk.subarray(at, at + n), b.filled);
        b.filled += n;
        at += n;
        if (b.filled < b.size) return;
        this.body = null;
        // The body is followed by one line break, read with it.
        this.answer(b.buf && { sha: b.header[1], type: b.header[2], body: b.buf.subarray(0, b.size - 1) });
        continue;
      }
      const nl = chunk.indexOf(10, at);
      if (nl < 0) {
        this.pending.push(chunk.subarray(at));
        this.pendingBytes += chunk.length - at;
        if (this.pendingBytes > MAX_HEADER)
          this.fail(new TackError('git_failed', 'git cat-file wrote an unreadable answer'));
        return;
      }
      const line = Buffer.concat([...this.pending, chunk.subarray(at, nl)]).toString('utf8');
      this.pending = [];
      this.pendingBytes = 0;
      at = nl + 1;
      const found = FOUND.exec(line);
      if (!found) this.answer(null);
      else {
        const size = Number(found[3]) + 1;
        const buf = size - 1 > this.maxBytes ? null : Buffer.allocUnsafe(size);
        this.body = { header: found, buf, size, filled: 0 };
      }
    }
  }

  private answer(obj: GitObject | null): void {
    const req = this.queue[0];
    req.answers.push(obj);
    if (req.answers.length < req.wanted) return;
    this.queue.shift();
    req.resolve(req.answers);
    if (this.queue.length > 0) return;
    this.keepAlive(false);
    this.idle = setTimeout(() => this.close(), IDLE_MS);
    this.idle.unref();
  }

  private fail(e: Error): void {
    const child = this.child;
    this.child = null;
    this.body = null;
    this.pending = [];
    this.pendingBytes = 0;
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    if (child) {
      child.stdout!.removeAllListeners('data');
      child.stdin!.end();
      child.kill();
      child.unref();
    }
    for (const req of this.queue.splice(0)) req.reject(e);
  }
}

const live = new Map<string, LiveCatFile>();

/** This process's LiveCatFile for `repo`'s objects. */
export function liveCatFile(repo: Repo): LiveCatFile {
  let reader = live.get(repo.commonDir);
  if (!reader) {
    reader = new LiveCatFile(repo);
    live.set(repo.commonDir, reader);
  }
  return reader;
}
