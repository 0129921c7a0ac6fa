import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Schema } from '../model/schema.js';
import { readRef } from '../git/refs.js';
import type { Store } from '../store/store.js';
import { DDL_VERSION, META_DDL } from './ddl.js';
import { openDatabase, type Database } from './sqlite.js';
import { scanWorktree, type WorktreeScan } from './worktreeScan.js';
import type { Progress } from './applyChanges.js';
import type { Parsed } from './ticketRows.js';

export type DB = Database;

/**
 * The SQLite index of one store: a cache of what git holds, never the truth. Lives
 * under the common git dir, so every worktree shares it, and is never committed.
 */
export interface Index {
  store: Store;
  db: DB;
  path: string;
  /** The commit the index reflects (null: nothing indexed yet). */
  commit: string | null;
}

export function indexPath(store: Store): string {
  return store.mode === 'inline'
    ? join(store.repo.gitDir, 'tack', 'inline-index.db')
    : join(store.repo.commonDir, 'tack', store.indexFile ?? (store.plan ? `index-plan-${store.plan}.db` : 'index.db'));
}

/**
 * The index file's memory map (reads of cold pages cost no read() each), at most its first
 * 64 MiB: at 100,000 tickets (a 170 MB index) a map of 256 MiB made every page a scan read
 * count in the process's memory (`recent` 184 MiB, `stats` 133, of which 107–147 mapped
 * pages), while reads past 64 MiB through SQLite's cache measured the same for `list`,
 * `ready` and `search` (bench/README.md). Smaller stores are mapped whole, as before.
 */
export const MMAP_BYTES = 64 * 1024 * 1024;

/** Delete an SQLite file and the files SQLite keeps beside it (WAL, shared memory, journal). */
export function removeDbFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}

export function openDb(path: string): DB {
  if (path !== ':memory:') mkdirSync(join(path, '..'), { recursive: true });
  const db = openDatabase(path);
  // 8 KB pages for a new file (a no-op on an existing one): a tickets row is ~500 bytes, and
  // 4 KB pages left about a tenth of that table unused at their ends (bench/README.md).
  db.pragma('page_size = 8192');
  // WAL: readers never wait for the one writer; a refresh is one transaction.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // Memory-mapped reads: a command's first query (FTS especially) reads many cold pages,
  // and mapping them costs no read() per page. SQLite handles WAL alongside it.
  db.pragma(`mmap_size = ${MMAP_BYTES}`);
  db.exec(META_DDL);
  if (path !== ':memory:' && walBytes(path) > WAL_LIMIT) truncateWal(db);
  return db;
}

/**
 * A command leaves the index open at exit (closing checkpoints, a cost every write would
 * pay), so the next process recovers the WAL as after a crash: it reads the whole file, and
 * recovery forgets what was checkpointed, so the WAL is never started over and grew by
 * every write (200 KiB a `create`; 12.8 MiB after 60 of them on a 60-ticket store). Past
 * this size, the first process to open the file checkpoints and truncates it.
 */
const WAL_LIMIT = 4 * 1024 * 1024;

function walBytes(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}

export function getMeta(db: DB, key: string): string | null {
  const row = db.prepare<{ value: string }>('SELECT value FROM meta WHERE key = ?').get(key);
  return row ? row.value : null;
}

export function setMeta(db: DB, key: string, value: string | null): void {
  if (value === null) db.prepare('DELETE FROM meta WHERE key = ?').run(key);
  else
    db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
      key,
      value,
    );
}

/** The last schema text parsed, per connection: the server reads it for most requests. */
const parsedSchemas = new WeakMap<DB, { text: string; schema: Schema }>();

/**
 * The schema the index was built with. Parsed once per text and frozen (deeply), since
 * every caller of a connection shares the one object: a caller that needs to change it
 * copies it first.
 */
export function indexedSchema(db: DB): Schema | null {
  const text = getMeta(db, 'schema');
  if (!text) return null;
  const last = parsedSchemas.get(db);
  if (last?.text === text) return last.schema;
  const schema = deepFreeze(JSON.parse(text) as Schema);
  parsedSchemas.set(db, { text, schema });
  return schema;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export interface Staleness {
  head: string | null;
  refMoved: boolean;
  worktree: WorktreeScan | null;
}

/** The cheap check every command makes: read the ref from .git, stat checked-out files. */
export function staleness(idx: Index): Staleness {
  const head = readRef(idx.store.repo, idx.store.ref);
  // One statement for both: the server makes this check several times a request.
  let commit: string | null = null;
  let ddl: string | null = null;
  for (const r of idx.db
    .prepare<{ key: string; value: string }>("SELECT key, value FROM meta WHERE key IN ('commit', 'ddl')")
    .all()) {
    if (r.key === 'commit') commit = r.value;
    else ddl = r.value;
  }
  const refMoved = head !== commit || ddl !== DDL_VERSION;
  const worktree = idx.store.filesDir ? scanWorktree(idx.db, idx.store.filesDir) : null;
  return { head, refMoved, worktree };
}

export function isStale(s: Staleness): boolean {
  return s.refMoved || (s.worktree !== null && s.worktree.changed.length + s.worktree.removed.length > 0);
}

/** Open the index and bring it up to date with the ref and the checked-out files. */
export async function openIndex(store: Store, progress?: Progress): Promise<Index> {
  const path = indexPath(store);
  const db = openDb(path);
  const idx: Index = { store, db, path, commit: getMeta(db, 'commit') };
  await ensureFresh(idx, undefined, progress);
  return idx;
}

/**
 * `known`: blobs this process just wrote, parsed (they are not read back from git).
 * `progress`: the catching up, shown on a terminal (a first build of 100,000 tickets takes ~9 s).
 */
export async function ensureFresh(idx: Index, known?: ReadonlyMap<string, Parsed>, progress?: Progress): Promise<void> {
  const s = staleness(idx);
  if (isStale(s)) {
    const { refresh } = await import('./refresh.js');
    refresh(idx, progress, known);
    if (s.refMoved) compactIfSparse(idx.db);
  }
  idx.commit = getMeta(idx.db, 'commit');
}

/**
 * A full build drops the old tables into the file's free list: reused, but never given back.
 * When more than a quarter of the file is free (an index built by an older Tack), VACUUM it.
 * Another process holding the file makes VACUUM fail: it is then left for a later command.
 */
export function compactIfSparse(db: DB): void {
  const free = Number(db.pragma('freelist_count', { simple: true }));
  const pages = Number(db.pragma('page_count', { simple: true }));
  if (db.inTransaction || free * 4 <= pages) return;
  try {
    db.exec('VACUUM');
  } catch {
    // busy: another reader or writer; the space stays reusable meanwhile
  }
}

/**
 * Checkpoint the WAL and truncate it, without waiting: a reader in the way leaves it for
 * later. A full build writes the whole index through the WAL, which keeps that size; each
 * command then reads all of it when it opens the file (see WAL_LIMIT): at 100,000 tickets
 * 174 MiB, `list` 139 instead of 89 ms (bench/README.md).
 */
export function truncateWal(db: DB): void {
  if (db.inTransaction) return;
  const wait = Number(db.pragma('busy_timeout', { simple: true }));
  db.pragma('busy_timeout = 0');
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // busy: another process reads or writes the file
  } finally {
    db.pragma(`busy_timeout = ${wait}`);
  }
}

/**
 * A value that changes whenever the index's content changes, by this connection
 * (total_changes) or by another process (data_version): what a result cache keys on.
 */
export function indexGeneration(db: DB): string {
  // One compiled statement for both (a PRAGMA is compiled anew each time it is run).
  const r = db
    .prepare<{ v: number; n: number }>(
      'SELECT (SELECT data_version FROM pragma_data_version()) AS v, total_changes() AS n',
    )
    .get()!;
  return `${r.v}:${r.n}`;
}
