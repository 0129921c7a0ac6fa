import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readRef } from '../git/refs.js';
import type { Store } from '../store/store.js';
import { DDL_VERSION } from './ddl.js';
import { getMeta, indexPath, openDb, removeDbFiles, type DB } from './indexDb.js';
import { leanWhileBuilding } from './leanBuild.js';
import { refresh } from './refresh.js';

/** How the index on disk compares with what git holds. */
export interface IndexState {
  state: 'ok' | 'missing' | 'behind' | 'differs' | 'unreadable';
  message: string;
}

/** What the index answers, reduced to rows that must match a rebuild exactly. */
const PROBES: Array<[string, string]> = [
  [
    'tickets',
    "SELECT id || ' ' || blob || ' ' || short_id || ' ' || coalesce(status, '') || ' ' || coalesce(assignee, '') || ' ' || title || ' ' || coalesce(parent, '') AS r FROM tickets ORDER BY id",
  ],
  ['relations', "SELECT src || ' ' || kind || ' ' || dst AS r FROM relations ORDER BY 1"],
  ['labels', "SELECT ticket || ' ' || label AS r FROM labels ORDER BY 1"],
  ['commits', 'SELECT sha AS r FROM commits ORDER BY sha'],
  ['history', "SELECT count(*) || '' AS r FROM history"],
  ['tree', "SELECT path || ' ' || blob AS r FROM tree_files ORDER BY path"],
];

function* rows(db: DB, sql: string): Generator<string> {
  for (const x of db.prepare<{ r: string }>(sql).iterate()) yield x.r;
}

/** The first row where the two ordered streams differ ('' when none), read one row at a time. */
function firstDifference(index: Iterable<string>, rebuild: Iterable<string>): string {
  const a = index[Symbol.iterator]();
  const b = rebuild[Symbol.iterator]();
  try {
    for (;;) {
      const x = a.next();
      const y = b.next();
      if (x.done && y.done) return '';
      if (x.value !== y.value)
        return `index has ${JSON.stringify(x.done ? '(nothing)' : x.value)}, a rebuild has ${JSON.stringify(y.done ? '(nothing)' : y.value)}`;
    }
  } finally {
    a.return?.();
    b.return?.();
  }
}

/**
 * The rebuild a check compares with lives in a file beside the index, not in memory (at
 * 100,000 tickets an in-memory copy held 170 MB and the compared rows as many again). Its
 * name is a temporary index's (`tmp-index-<pid>-`), so one a killed check left behind is a
 * leftover `tack doctor` finds and removes.
 */
function scratchPath(path: string): string {
  return join(dirname(path), `tmp-index-${process.pid}-check.db`);
}

/** A full build of the store into a scratch file: no journal (it is thrown away), lean as a reindex. */
function buildScratch(store: Store, path: string): DB {
  removeDbFiles(path);
  const db = openDb(path);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  const restore = leanWhileBuilding(db);
  try {
    refresh({ store, db, path, commit: null });
  } finally {
    restore();
  }
  return db;
}

/**
 * Compare the index on disk with the ref and, when it claims to be current, with a
 * fresh rebuild in memory. Reads only: it never refreshes the index it inspects.
 */
export function checkIndex(store: Store): IndexState {
  const path = indexPath(store);
  if (!existsSync(path)) return { state: 'missing', message: 'no index yet; the next command builds it' };
  let db: DB;
  try {
    db = openDb(path);
    db.prepare('SELECT count(*) FROM meta').get();
  } catch (e) {
    return { state: 'unreadable', message: `${path} cannot be read by SQLite (${(e as Error).message})` };
  }
  const scratch = scratchPath(path);
  let fresh: DB | null = null;
  try {
    const head = readRef(store.repo, store.ref);
    const at = getMeta(db, 'commit');
    if (getMeta(db, 'ddl') !== DDL_VERSION)
      return { state: 'behind', message: `index layout ${getMeta(db, 'ddl')} is older than ${DDL_VERSION}` };
    if (at !== head)
      return {
        state: 'behind',
        message: `index is at ${at?.slice(0, 10) ?? 'nothing'}, ${store.ref} at ${head?.slice(0, 10) ?? 'nothing'}`,
      };
    fresh = buildScratch(store, scratch);
    // Both files are read once from end to end: mapped, every page read would count in the
    // process's memory (two indexes of 170 MB at 100,000 tickets).
    for (const d of [db, fresh]) d.pragma('mmap_size = 0');
    // Checked-out files (inline .tack/, a mount) edited since the index last read them:
    // the next command reads them again, so the index is behind, not wrong.
    const files = "SELECT path || ' ' || coalesce(blob, '') AS r FROM worktree_files ORDER BY path";
    if (firstDifference(rows(db, files), rows(fresh, files)))
      return { state: 'behind', message: 'checked-out store files changed since the index last read them' };
    for (const [name, sql] of PROBES) {
      const diff = firstDifference(rows(db, sql), rows(fresh, sql));
      if (diff) return { state: 'differs', message: `index table ${name} does not match a rebuild: ${diff}` };
    }
    return { state: 'ok', message: `index is at ${head?.slice(0, 10)} and matches a rebuild` };
  } catch (e) {
    return { state: 'unreadable', message: `index could not be compared: ${(e as Error).message}` };
  } finally {
    fresh?.close();
    removeDbFiles(scratch);
    db.close();
  }
}
