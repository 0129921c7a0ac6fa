import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { blobId } from './objects.js';
import { casRef } from './refs.js';
import { git } from './run.js';
import type { Repo } from './repo.js';

/** One path to write (content) or delete (null) in the new commit. */
export interface FileChange {
  path: string;
  content: string | null;
}

export interface CommitRequest {
  ref: string;
  /** The commit the change is based on; null for the first commit of the ref. */
  parent: string | null;
  changes: FileChange[];
  message: string;
  /** ISO time for author and committer (tests, imports); default: now. */
  date?: string;
  sign?: boolean;
}

export interface CommitResult {
  commit: string;
  tree: string;
  /** path → blob id written (null for deletions) */
  blobs: Map<string, string | null>;
}

let sha256Cache: Map<string, boolean> | null = null;
function usesSha256(repo: Repo): boolean {
  sha256Cache ??= new Map();
  let v = sha256Cache.get(repo.commonDir);
  if (v === undefined) {
    try {
      v = /objectformat\s*=\s*sha256/i.test(readFileSync(join(repo.commonDir, 'config'), 'utf8'));
    } catch {
      v = false;
    }
    sha256Cache.set(repo.commonDir, v);
  }
  return v;
}

/**
 * Write a blob as a loose object, as git itself does (deflate, temp file, rename): no
 * process to spawn. SHA-256 repositories go through `git hash-object` instead.
 */
export function writeBlob(repo: Repo, content: string): string {
  if (usesSha256(repo)) {
    return git(['hash-object', '-w', '--stdin', '--no-filters'], { cwd: repo.workTree, input: content }).trim();
  }
  const body = Buffer.from(content, 'utf8');
  const sha = blobId(body);
  const dir = join(repo.commonDir, 'objects', sha.slice(0, 2));
  const file = join(dir, sha.slice(2));
  if (existsSync(file)) return sha;
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `tmp_obj_${process.pid}_${randomBytes(4).toString('hex')}`);
  const fd = openSync(tmp, 'wx', 0o444);
  try {
    writeSync(fd, deflateSync(Buffer.concat([Buffer.from(`blob ${body.length}\0`), body])));
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  return sha;
}

/**
 * A private index file kept between writes (never the user's index). When it still
 * holds the parent's tree, `read-tree` (the cost of which grows with the number of
 * tickets) is skipped. One process uses it at a time; others use a throwaway index.
 */
interface TreeIndex {
  file: string;
  /** The commit whose tree the file holds, or null when it must be re-read. */
  base: string | null;
  release(newBase: string | null): void;
}

/** A lock older than this was left by a killed process: a write takes milliseconds. */
const STALE_OWNER_MS = 30_000;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function privateIndex(dir: string): TreeIndex {
  const tmp = join(dir, `tmp-index-${process.pid}-${randomBytes(4).toString('hex')}`);
  return { file: tmp, base: null, release: () => { rmSync(tmp, { force: true }); rmSync(`${tmp}.lock`, { force: true }); } };
}

function acquireTreeIndex(repo: Repo, ref: string): TreeIndex {
  const dir = join(repo.commonDir, 'tack');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `tree-index-${ref.replace(/[^A-Za-z0-9_-]/g, '_')}`);
  const owner = `${file}.owner`;
  const baseFile = `${file}.base`;
  const take = (): boolean => {
    try {
      writeFileSync(owner, String(process.pid), { flag: 'wx' });
      return true;
    } catch {
      return false;
    }
  };
  if (!take()) {
    // Steal only a lock that is old; renaming it away lets exactly one process win.
    try {
      const holder = Number(readFileOr(owner, '0'));
      if (Date.now() - statSync(owner).mtimeMs < STALE_OWNER_MS || (holder > 0 && pidAlive(holder))) return privateIndex(dir);
      renameSync(owner, `${owner}.stale-${process.pid}`);
      rmSync(`${owner}.stale-${process.pid}`, { force: true });
    } catch {
      return privateIndex(dir);
    }
    if (!take()) return privateIndex(dir);
  }
  // We own the file: a git lock next to it can only be left over from a killed write.
  rmSync(`${file}.lock`, { force: true });
  const base = existsSync(file) ? readFileOr(baseFile, '') || null : null;
  // Until this write completes, the file's content is not any commit's tree.
  rmSync(baseFile, { force: true });
  return {
    file,
    base,
    release: (newBase) => {
      if (newBase) writeFileSync(baseFile, newBase);
      rmSync(owner, { force: true });
    },
  };
}

function readFileOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return fallback;
  }
}

function writeTree(repo: Repo, index: TreeIndex, parent: string | null, entries: string): string {
  const env = { GIT_INDEX_FILE: index.file };
  if (index.base !== parent || parent === null) {
    git(parent ? ['read-tree', parent] : ['read-tree', '--empty'], { cwd: repo.workTree, env });
  }
  if (entries) git(['update-index', '--index-info'], { cwd: repo.workTree, env, input: entries });
  return git(['write-tree'], { cwd: repo.workTree, env }).trim();
}

export function commitTree(repo: Repo, tree: string, parents: string[], message: string, date?: string, sign = false): string {
  const args = ['commit-tree', tree];
  for (const p of parents) args.push('-p', p);
  // commit.gpgsign would make commit-tree sign, and a locked key would hang or fail a write.
  args.push(sign ? '-S' : '--no-gpg-sign');
  const env = date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : undefined;
  return git(args, { cwd: repo.workTree, input: message, env }).trim();
}

/**
 * Create one commit on `ref` from `parent` plus the changes, and move the ref with a
 * compare-and-swap. Returns null when the ref moved meanwhile (the caller re-reads and
 * retries); the objects written for a lost race are unreferenced and harmless.
 */
export function writeCommit(repo: Repo, req: CommitRequest): CommitResult | null {
  const blobs = new Map<string, string | null>();
  const lines: string[] = [];
  for (const ch of req.changes) {
    if (ch.content === null) {
      blobs.set(ch.path, null);
      lines.push(`0 0000000000000000000000000000000000000000\t${ch.path}`);
    } else {
      const sha = writeBlob(repo, ch.content);
      blobs.set(ch.path, sha);
      lines.push(`100644 ${sha}\t${ch.path}`);
    }
  }
  const index = acquireTreeIndex(repo, req.ref);
  let landed: string | null = null;
  try {
    const tree = writeTree(repo, index, req.parent, lines.length ? lines.join('\n') + '\n' : '');
    const commit = commitTree(repo, tree, req.parent ? [req.parent] : [], req.message, req.date, req.sign);
    const firstLine = req.message.split('\n', 1)[0];
    if (!casRef(repo, req.ref, commit, req.parent, `tack: ${firstLine}`)) return null;
    landed = commit;
    return { commit, tree, blobs };
  } finally {
    index.release(landed);
  }
}

/** Point entries of the user's real index at blobs we committed (inline mode). */
export function updateUserIndex(repo: Repo, blobs: Map<string, string | null>): void {
  const lines: string[] = [];
  for (const [path, sha] of blobs) {
    lines.push(sha ? `100644 ${sha}\t${path}` : `0 0000000000000000000000000000000000000000\t${path}`);
  }
  if (lines.length) git(['update-index', '--index-info'], { cwd: repo.workTree, input: lines.join('\n') + '\n' });
}
