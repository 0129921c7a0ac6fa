import { keepObjectsInCheck } from '../git/housekeeping.js';
import { join } from 'node:path';
import { TackError } from '../model/errors.js';
import { writeCommit, writeBlob, type FileChange } from '../git/commitWriter.js';
import { lockUserIndex } from '../git/userIndex.js';
import type { Signature } from '../git/identity.js';
import { formatMessage } from '../git/log.js';
import { headBranch, holdRefUpdates, readRef, whenPublished, type HeldRef } from '../git/refs.js';
import { holdObjects, releaseObjects } from '../git/pendingObjects.js';
import { readSettings, tackDir, type Store } from './store.js';
import { withProvenance } from './storeProvenance.js';
import { spoolCommit } from './triggerSpool.js';
import { acquireWriterLock, acquireWriterLockAsync, passLockHere } from './lockFile.js';
import { restoreSuperseded, updateMount, writeFileAtomic } from './mount.js';
import { sleepSync } from '../model/sleep.js';

/** What an operation wants to commit, computed from the store's current head. */
export interface ChangeSet {
  /** Paths relative to the store root ('tickets/x.md'). */
  changes: FileChange[];
  subject: string;
  trailers: Array<[string, string]>;
  body?: string;
  /**
   * Checked-out texts this change was computed from (store path → text): a mounted file
   * still holding exactly that text takes the new version instead of being merged with it,
   * since the change already includes the uncommitted edit (`tack edit` of a hand-edited file).
   */
  supersedes?: Map<string, string>;
}

export interface WriteResult<T> {
  commit: string | null;
  parent: string | null;
  changeSet: ChangeSet;
  value: T;
  /** Tree path → blob id written (null: deleted); empty when nothing was committed. */
  blobs: Map<string, string | null>;
  /** The commit message as written. */
  message: string;
  /** Author and committer as recorded, when Tack decided them (null: git did). */
  author: Signature | null;
  committer: Signature | null;
}

export interface WriteOptions {
  date?: string;
  maxAttempts?: number;
}

/** Serialise writers to checked-out files (inline mode): git has no CAS for a work tree. */
function withFileLock<T>(store: Store, fn: () => T): T {
  const lock = writerLockPath(store);
  const release = acquireWriterLock(lock, 8_000);
  if (!release)
    throw new TackError('conflict', `another Tack process holds ${lock}; if none is running, delete the file`);
  try {
    return fn();
  } finally {
    release();
  }
}

/**
 * The lock a writer holds while it commits and then writes checked-out files (inline
 * `.tack/`, or a mount): a reader that sees it knows the files may lag the ref.
 */
export function writerLockPath(store: Store): string {
  return join(
    tackDir(store.repo),
    store.mode === 'inline' ? 'write.lock' : `write-${store.ref.replace(/[^A-Za-z0-9_-]/g, '_')}.lock`,
  );
}

/**
 * A write's turn for long-running processes (server, MCP): the store's writer lock is
 * waited for without blocking the event loop, then `fn` runs holding it (its commit takes
 * the lock its turn already has). As with commitChange, a branch-mode lock that another
 * process keeps too long is gone around (the compare-and-swap decides); inline, it is a
 * `conflict`.
 */
export async function inWriterTurn<T>(store: Store, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const lock = writerLockPath(store);
  const release =
    (await acquireWriterLockAsync(lock, store.mode === 'inline' ? 8_000 : 5_000, signal)) ??
    (store.mode === 'inline' ? null : passLockHere(lock));
  if (!release)
    throw new TackError('conflict', `another Tack process holds ${lock}; if none is running, delete the file`);
  try {
    return await fn();
  } finally {
    release();
  }
}

/**
 * Hold this process's commits to a branch-mode store back from its ref until `publish`
 * (see holdRefUpdates): the caller holds the writer lock for the whole group.
 */
export function holdStoreWrites(store: Store): HeldRef {
  if (store.mode !== 'branch') throw new TackError('internal', 'only a branch-mode store holds its writes back');
  const ref = holdRefUpdates(store.repo, store.ref);
  // The group's objects go to disk as one pack, before the ref names them (see pendingObjects.ts).
  holdObjects(store.repo);
  return {
    get commits() {
      return ref.commits;
    },
    publish() {
      let published = false;
      try {
        published = ref.publish();
        return published;
      } finally {
        releaseObjects(store.repo, published && ref.commits > 0);
      }
    },
    drop() {
      ref.drop();
      releaseObjects(store.repo, false);
    },
  };
}

function prefixed(store: Store, changes: FileChange[]): FileChange[] {
  // No copy without a prefix (a branch-mode store): an import's change set is 100,000 of them.
  return store.prefix ? changes.map((c) => ({ ...c, path: `${store.prefix}${c.path}` })) : changes;
}

/**
 * One operation = one commit. `build` computes the change from the current head (null
 * when the ref has no commit yet); if another writer moves the ref first, `build` runs
 * again on the new head, so no update is ever lost.
 */
export function commitChange<T>(
  store: Store,
  build: (head: string | null) => { changeSet: ChangeSet; value: T },
  opts: WriteOptions = {},
): WriteResult<T> {
  if (store.mode === 'inline') return withFileLock(store, () => commitInline(store, build, opts));
  // Writers of this clone queue instead of racing (the CAS below stays the guarantee, so a
  // lock held too long by a live process is gone around, not waited for forever).
  const release = acquireWriterLock(writerLockPath(store), 5_000);
  try {
    return commitBranch(store, build, opts);
  } finally {
    release?.();
  }
}

/** A write that changes nothing commits nothing (an empty commit would name tickets it does not change). */
function nothingWritten<T>(parent: string | null, changeSet: ChangeSet, value: T, message: string): WriteResult<T> {
  return { commit: null, parent, changeSet, value, blobs: new Map(), message, author: null, committer: null };
}

function commitBranch<T>(
  store: Store,
  build: (head: string | null) => { changeSet: ChangeSet; value: T },
  opts: WriteOptions,
): WriteResult<T> {
  const attempts = opts.maxAttempts ?? 50;
  // Read once: whether to sign, and whether the commit is spooled for triggers.
  const settings = readSettings(store.repo);
  const sign = settings?.sign === true;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const parent = readRef(store.repo, store.ref);
    const { changeSet, value } = build(parent);
    const message = formatMessage(changeSet.subject, withProvenance(store, changeSet.trailers), changeSet.body);
    if (changeSet.changes.length === 0) {
      if (changeSet.supersedes) restoreSuperseded(store, parent, changeSet.supersedes);
      return nothingWritten(parent, changeSet, value, message);
    }
    const res = writeCommit(store.repo, {
      ref: store.ref,
      parent,
      changes: prefixed(store, changeSet.changes),
      message,
      date: opts.date,
      sign,
    });
    if (res) {
      // Once the commit is on the ref for everyone (a held ref: when the group is published).
      whenPublished(store.repo, store.ref, () => {
        if (store.filesDir) updateMount(store, parent, res.commit, changeSet.supersedes);
        spoolCommit(store, settings, res.commit);
        keepObjectsInCheck(store.repo);
      });
      return {
        commit: res.commit,
        parent,
        changeSet,
        value,
        blobs: res.blobs,
        message,
        author: res.author,
        committer: res.committer,
      };
    }
    sleepSync(Math.min(200, 2 ** Math.min(attempt, 7)) * Math.random());
  }
  throw new TackError('conflict', `${store.ref} kept moving while writing; gave up after ${attempts} attempts`);
}

/** Checked-out files need their text: a write packed as it was planned is for branch mode only. */
function withContent(c: FileChange): { path: string; content: string | null } {
  if (c.blob === undefined) return c;
  throw new TackError(
    'internal',
    `${c.path}: a packed blob reached an inline write, which writes files out; expected its text`,
  );
}

function commitInline<T>(
  store: Store,
  build: (head: string | null) => { changeSet: ChangeSet; value: T },
  opts: WriteOptions,
): WriteResult<T> {
  const branch = headBranch(store.repo);
  const settings = readSettings(store.repo);
  const policy = settings?.commit ?? 'auto';
  if (!branch && policy === 'auto') {
    throw new TackError(
      'detached_head',
      'HEAD is detached; inline mode commits tickets to the current branch, so expected a checked-out branch (git switch <branch>)',
    );
  }
  // git's own index lock first: when git holds it, refuse before anything is committed.
  const index = policy === 'auto' || policy === 'stage' ? lockUserIndex(store.repo) : null;
  try {
    const parent = branch ? readRef(store.repo, branch) : null;
    const { changeSet, value } = build(parent);
    const changes = prefixed(store, changeSet.changes).map(withContent);
    let commit: string | null = null;
    let blobs = new Map<string, string | null>();
    const message = formatMessage(changeSet.subject, withProvenance(store, changeSet.trailers), changeSet.body);
    if (changes.length === 0) return nothingWritten(parent, changeSet, value, message);
    let sigs: Pick<WriteResult<T>, 'author' | 'committer'> = { author: null, committer: null };
    if (policy === 'auto') {
      const res = writeCommit(store.repo, {
        ref: branch!,
        parent,
        changes,
        message,
        date: opts.date,
        sign: settings?.sign === true,
        beforeRef: (written) => index!.stage(written),
      });
      if (!res) throw new TackError('conflict', `${branch} moved while writing; run the command again`);
      index!.publish();
      commit = res.commit;
      blobs = res.blobs;
      sigs = { author: res.author, committer: res.committer };
      spoolCommit(store, settings, commit);
      keepObjectsInCheck(store.repo);
    } else if (policy === 'stage') {
      index!.stage(
        new Map(changes.map((c) => [c.path, c.content === null ? null : writeBlob(store.repo, c.content)] as const)),
      );
      index!.publish();
    }
    for (const c of changes) writeFileAtomic(join(store.repo.workTree, c.path), c.content);
    return { commit, parent, changeSet, value, blobs, message, ...sigs };
  } finally {
    index?.release();
  }
}
