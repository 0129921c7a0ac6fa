import { existsSync } from 'node:fs';
import { readRef } from '../git/refs.js';
import type { Store } from '../store/store.js';
import { DDL_VERSION } from './ddl.js';
import { getMeta, indexPath, openDb, type DB, type Index } from './indexDb.js';
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

function rows(db: DB, sql: string): string[] {
  return db
    .prepare<{ r: string }>(sql)
    .all()
    .map((x) => x.r);
}

function firstDifference(a: string[], b: string[]): string {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i])
      return `index has ${JSON.stringify(a[i] ?? '(nothing)')}, a rebuild has ${JSON.stringify(b[i] ?? '(nothing)')}`;
  }
  return '';
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
  const mem = openDb(':memory:');
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
    const idx: Index = { store, db: mem, path: ':memory:', commit: null };
    refresh(idx);
    // Checked-out files (inline .tack/, a mount) edited since the index last read them:
    // the next command reads them again, so the index is behind, not wrong.
    const files = "SELECT path || ' ' || coalesce(blob, '') AS r FROM worktree_files ORDER BY path";
    if (firstDifference(rows(db, files), rows(mem, files)))
      return { state: 'behind', message: 'checked-out store files changed since the index last read them' };
    for (const [name, sql] of PROBES) {
      const diff = firstDifference(rows(db, sql), rows(mem, sql));
      if (diff) return { state: 'differs', message: `index table ${name} does not match a rebuild: ${diff}` };
    }
    return { state: 'ok', message: `index is at ${head?.slice(0, 10)} and matches a rebuild` };
  } catch (e) {
    return { state: 'unreadable', message: `index could not be compared: ${(e as Error).message}` };
  } finally {
    mem.close();
    db.close();
  }
}
