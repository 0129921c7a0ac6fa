import { openDatabase } from '../src/index/sqlite.js';

/** Every table of the index a user or agent reads, in a stable order (rebuild equivalence). */
const TABLES: Record<string, string> = {
  tickets: 'SELECT * FROM tickets ORDER BY id',
  labels: 'SELECT * FROM labels ORDER BY ticket, label',
  relations: 'SELECT * FROM relations ORDER BY src, kind, dst',
  comments: 'SELECT * FROM comments ORDER BY ticket, id',
  links: 'SELECT * FROM links ORDER BY src, target, origin',
  tags: 'SELECT * FROM tags ORDER BY ticket, tag',
  aliases: 'SELECT * FROM aliases ORDER BY ticket, alias',
  docs: 'SELECT * FROM docs ORDER BY path',
  problems: 'SELECT * FROM problems ORDER BY path',
  tree_files: 'SELECT * FROM tree_files ORDER BY path',
  commits: 'SELECT * FROM commits ORDER BY seq',
  commit_trailers: 'SELECT * FROM commit_trailers ORDER BY commit_sha, key, value',
  commit_tickets: 'SELECT * FROM commit_tickets ORDER BY commit_sha, ticket',
  file_versions: 'SELECT * FROM file_versions ORDER BY commit_sha, path',
  history: 'SELECT * FROM history ORDER BY ticket, commit_sha, field, old, new',
  fts: 'SELECT t.id, f.title, f.body, f.comments FROM tickets_fts f JOIN tickets t ON t.rowid = f.rowid ORDER BY t.id',
  meta: "SELECT key, value FROM meta WHERE key IN ('commit', 'ddl', 'schema', 'schema_blob') ORDER BY key",
};

/** The index at `file`, table by table: two indexes that answer alike dump alike. */
export function dumpIndexFile(file: string): Record<string, unknown[]> {
  const db = openDatabase(file, { readonly: true });
  try {
    return Object.fromEntries(Object.entries(TABLES).map(([k, sql]) => [k, db.prepare(sql).all()]));
  } finally {
    db.close();
  }
}
