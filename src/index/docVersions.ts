import type { DB } from './indexDb.js';
import { startsWithSql } from './ticketIds.js';

export interface DocVersion {
  commit: string;
  time: string;
  author: string;
  subject: string;
  /** The file's blob at that commit; null when the commit deleted it. */
  blob: string | null;
}

/** Every commit that wrote or deleted a store file (a doc, a saved view), newest first. */
export function fileVersions(db: DB, path: string, limit: number): DocVersion[] {
  return db
    .prepare<DocVersion>(`SELECT fv.commit_sha AS "commit", c.author_time AS time, c.author_name AS author, c.subject, fv.blob
    FROM file_versions fv JOIN commits c ON c.sha = fv.commit_sha WHERE fv.path = ? ORDER BY c.seq DESC LIMIT ?`)
    .all(path, limit);
}

/** Committed store files under a folder ('views/'), from the index's copy of the tree. */
export function treePaths(db: DB, dir: string): string[] {
  return db
    .prepare<{ path: string }>(`SELECT path FROM tree_files WHERE ${startsWithSql('path', '?')} ORDER BY path`)
    .all(dir, dir)
    .map((r) => r.path);
}
