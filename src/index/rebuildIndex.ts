import { monotonicMs } from '../model/monotonic.js';
import type { Store } from '../store/store.js';
import { dropDerived } from './ddl.js';
import {
  compactIfSparse,
  getMeta,
  indexPath,
  openDb,
  removeDbFiles,
  truncateWal,
  type DB,
  type Index,
} from './indexDb.js';
import { leanWhileBuilding } from './leanBuild.js';
import { refresh, type Progress } from './refresh.js';
import { isCorruptDatabaseError } from './sqlite.js';

export interface RebuildReport {
  path: string;
  commit: string | null;
  tickets: number;
  docs: number;
  commits: number;
  history: number;
  problems: number;
  elapsed_ms: number;
}

/** Delete a store's index files (a deleted plan branch's index would otherwise stay behind). */
export function removeIndexFiles(store: Store): void {
  removeDbFiles(indexPath(store));
}

function count(db: DB, table: string): number {
  return db.prepare<{ n: number }>(`SELECT count(*) AS n FROM ${table}`).get()!.n;
}

/** Empty the index, the blob cache and meta included: nothing survives but the file. */
function clearAll(db: DB): void {
  dropDerived(db);
  db.exec('DELETE FROM blob_cache; DELETE FROM meta;');
}

/**
 * Throw the index away and build it again from git: every blob is re-read and re-parsed.
 * One transaction, so other readers see the old index until the new one is complete. An
 * index file SQLite cannot read any more is deleted and created afresh.
 */
export function rebuildIndex(store: Store, progress?: Progress): RebuildReport {
  const started = monotonicMs();
  const path = indexPath(store);
  const run = (): RebuildReport => {
    const db = openDb(path);
    try {
      const idx: Index = { store, db, path, commit: null };
      // Lean from the start (dropping the old tables reads every page of the old index) to
      // the end (compacting and counting read all of the new one).
      const restore = leanWhileBuilding(db);
      try {
        db.transaction(() => {
          clearAll(db);
          refresh(idx, progress);
        }).immediate();
        compactIfSparse(db);
        truncateWal(db);
        return {
          path,
          commit: getMeta(db, 'commit'),
          tickets: count(db, 'tickets'),
          docs: count(db, 'docs'),
          commits: count(db, 'commits'),
          history: count(db, 'history'),
          problems: count(db, 'problems'),
          elapsed_ms: Math.round(monotonicMs() - started),
        };
      } finally {
        restore();
      }
    } finally {
      db.close();
    }
  };
  try {
    return run();
  } catch (e) {
    if (!isCorruptDatabaseError(e)) throw e;
    removeDbFiles(path);
    return run();
  }
}
