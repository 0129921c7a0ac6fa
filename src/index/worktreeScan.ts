import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './sqlite.js';

/**
 * Checked-out store files (inline mode, or a mounted branch) are seen at once: every
 * command stats them and re-reads only those whose size or mtime moved.
 */
export interface WorktreeScan {
  /** Store-relative paths whose stat differs from what the index last saw. */
  changed: Array<{ path: string; mtimeMs: number; size: number }>;
  /** Paths the index saw before that are gone now. */
  removed: string[];
}

const WATCHED_DIRS = ['tickets', 'archive', 'docs'];

function walk(root: string, rel: string, out: Map<string, { mtimeMs: number; size: number }>): void {
  const dir = join(root, rel);
  if (!existsSync(dir)) return;
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    const p = rel ? `${rel}/${ent.name}` : ent.name;
    if (ent.isDirectory()) walk(root, p, out);
    else if (ent.isFile() && ent.name.endsWith('.md')) {
      const st = statSync(join(root, p));
      out.set(p, { mtimeMs: st.mtimeMs, size: st.size });
    }
  }
}

export function scanWorktree(db: Database, filesDir: string): WorktreeScan {
  const seen = new Map<string, { mtimeMs: number; size: number }>();
  for (const d of WATCHED_DIRS) walk(filesDir, d, seen);
  const schema = join(filesDir, 'schema.yaml');
  if (existsSync(schema)) {
    const st = statSync(schema);
    seen.set('schema.yaml', { mtimeMs: st.mtimeMs, size: st.size });
  }
  let known: Array<{ path: string; mtime_ms: number; size: number }> = [];
  try {
    known = db.prepare<(typeof known)[number]>('SELECT path, mtime_ms, size FROM worktree_files').all();
  } catch {
    // No tables yet: everything is new.
  }
  const knownMap = new Map(known.map((k) => [k.path, k]));
  const changed: WorktreeScan['changed'] = [];
  for (const [path, st] of seen) {
    const k = knownMap.get(path);
    if (!k || k.mtime_ms !== st.mtimeMs || k.size !== st.size) changed.push({ path, ...st });
  }
  const removed = known.filter((k) => !seen.has(k.path)).map((k) => k.path);
  return { changed, removed };
}
