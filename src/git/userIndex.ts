import {
  closeSync,
  copyFileSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { TackError } from '../model/errors.js';
import { zeroOid } from './objectFormat.js';
import { git } from './run.js';
import type { Repo } from './repo.js';
import { processAlive } from './processAlive.js';

/**
 * The user's real index (inline mode), locked the way git locks it: `index.lock` created
 * with O_EXCL before anything is committed, the new index written into the lock and
 * renamed over `index`. So a git that holds the lock (an editor, a waiting `git commit`)
 * makes a Tack write refuse before it commits, and git never sees a half-written index.
 */
export interface UserIndexLock {
  readonly path: string;
  /** Write the new index (entries pointed at these blobs; null: removed) into the lock. */
  stage(blobs: Map<string, string | null>): void;
  /** Make the staged index the real one (one rename). */
  publish(): void;
  /** Drop the lock without changing the index (no-op once published). */
  release(): void;
}

export function indexPath(repo: Repo): string {
  return process.env.GIT_INDEX_FILE ? resolve(process.env.GIT_INDEX_FILE) : join(repo.gitDir, 'index');
}

/** Where a Tack writer notes which index.lock it made, so a killed writer's lock is recognised. */
function ownerFile(lock: string): string {
  return `${lock}.tack-owner`;
}

/**
 * A lock left by a Tack writer that was killed (its owner note names a dead process and
 * the very file): remove it. Any other lock is git's, and only the user may remove it.
 */
function clearKilledTackLock(lock: string): boolean {
  try {
    const [pid, ino] = readFileSync(ownerFile(lock), 'utf8').trim().split(' ').map(Number);
    if (statSync(lock).ino !== ino || processAlive(pid)) return false;
  } catch {
    return false;
  }
  rmSync(lock, { force: true });
  rmSync(ownerFile(lock), { force: true });
  return true;
}

function createLock(lock: string): number {
  try {
    return openSync(lock, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    if (clearKilledTackLock(lock)) return createLock(lock);
    throw new TackError(
      'conflict',
      `git's index is locked by another process: ${lock} exists; retry when it finishes (if no git process is running, delete that file). Nothing was changed`,
      { reason: 'index_locked', lock },
    );
  }
}

/** Take git's index lock (callers hold Tack's writer lock, so Tack writers never race here). */
export function lockUserIndex(repo: Repo): UserIndexLock {
  const index = indexPath(repo);
  const lock = `${index}.lock`;
  const fd = createLock(lock);
  writeFileSync(ownerFile(lock), `${process.pid} ${fstatSync(fd).ino}\n`);
  let done = false;
  const tmp = `${index}.tack-${process.pid}-${randomBytes(4).toString('hex')}`;
  const finish = () => {
    done = true;
    closeSync(fd);
    rmSync(ownerFile(lock), { force: true });
  };
  return {
    path: lock,
    stage(blobs) {
      const zero = zeroOid(repo);
      const lines = [...blobs].map(([path, sha]) => `${sha ? `100644 ${sha}` : `0 ${zero}`}\t${path}\0`).join('');
      // git update-index locks the file it is given, so it works on a private copy whose
      // bytes then go into the lock we hold (same file, so the owner note stays true).
      if (existsSync(index)) copyFileSync(index, tmp);
      try {
        git(['update-index', '-z', '--index-info'], { cwd: repo.workTree, input: lines, env: { GIT_INDEX_FILE: tmp } });
        const bytes = readFileSync(tmp);
        ftruncateSync(fd, 0);
        writeSync(fd, bytes, 0, bytes.length, 0);
        fsyncSync(fd);
      } finally {
        rmSync(tmp, { force: true });
      }
    },
    publish() {
      renameSync(lock, index);
      finish();
    },
    release() {
      if (done) return;
      rmSync(lock, { force: true });
      finish();
    },
  };
}
