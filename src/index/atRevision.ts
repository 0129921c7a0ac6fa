import { requireRev } from '../git/refs.js';
import { openDb, type Index } from './indexDb.js';
import { buildSnapshot } from './refresh.js';
import { BlobCache } from './ticketRows.js';

/**
 * The tracker as it was at any revision (`--at tack~5`): an in-memory index built from
 * that commit's tree and history, parsed from git.
 */
export async function openIndexAt(main: Index, rev: string): Promise<Index> {
  const commit = requireRev(main.store.repo, rev);
  const db = openDb(':memory:');
  const store = { ...main.store, filesDir: null };
  const idx: Index = { store, db, path: ':memory:', commit };
  const cache = new BlobCache(main.db);
  main.db.transaction(() => buildSnapshot(idx, cache, commit))();
  return idx;
}
