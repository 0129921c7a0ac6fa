import { offerTree } from '../git/objects.js';
import type { Index } from './indexDb.js';

/** Directories offered per write: a ticket write changes one or two. */
const MAX_DIRS = 8;
/** Entries of one offered directory; larger trees are not kept in memory by the patch anyway. */
const MAX_ENTRIES = 1000;

/**
 * Offer the tree patch the directories a write changes, rebuilt from the index's list of
 * committed files: a ticket's directory (`tickets/ab/`) was usually packed by the last
 * housekeeping, and reading it from the pack costs a git process on every write. The index
 * describes the head the write is computed from, so the rebuilt tree is the parent's; where
 * it is not (files the index does not list, a directory below), its id differs from the one
 * the parent tree names and git is asked as before.
 */
export function offerChangedTrees(idx: Index, paths: Iterable<string>): void {
  const dirs = new Set<string>();
  for (const p of paths) {
    const slash = p.lastIndexOf('/');
    if (slash > 0) dirs.add(p.slice(0, slash));
    if (dirs.size >= MAX_DIRS) break;
  }
  if (dirs.size === 0) return;
  // '0' follows '/' in byte order: the range holds exactly the paths below `dir/`.
  const below = idx.db.prepare<{ path: string; blob: string; mode: string }>(
    `SELECT path, blob, mode FROM tree_files WHERE path > ? AND path < ? ORDER BY path LIMIT ${MAX_ENTRIES + 1}`,
  );
  for (const dir of dirs) {
    const rows = below.all(`${dir}/`, `${dir}0`);
    if (rows.length === 0 || rows.length > MAX_ENTRIES) continue;
    const parts: Buffer[] = [];
    for (const r of rows) {
      const name = r.path.slice(dir.length + 1);
      if (name.includes('/')) {
        parts.length = 0; // a directory below: its tree is not rebuilt here
        break;
      }
      parts.push(Buffer.from(`${r.mode} ${name}\0`, 'utf8'), Buffer.from(r.blob, 'hex'));
    }
    if (parts.length) offerTree(idx.store.repo, Buffer.concat(parts));
  }
}
