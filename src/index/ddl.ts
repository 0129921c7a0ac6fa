import type { Schema, FieldType } from '../model/schema.js';
import type { Database } from './sqlite.js';

/**
 * Bump when the table layout changes or a ticket file parses differently: an index of
 * another version is rebuilt and its blob cache emptied.
 */
export const DDL_VERSION = '24';

const SQL_TYPE: Record<FieldType, string> = {
  string: 'TEXT',
  number: 'REAL',
  date: 'TEXT',
  bool: 'INTEGER',
  enum: 'TEXT',
  user: 'TEXT',
  ticket: 'TEXT',
  list: 'TEXT',
};

/**
 * The schema's custom fields that get a column of their own: all but `owner`, which is a
 * column of every index (a schema may still declare it, as a `user` field).
 */
export function customColumns(schema: Schema): Schema['fields'] {
  return schema.fields.filter((f) => f.name !== 'owner');
}

function q(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Tables whose rows come from the tickets and docs of the indexed commit. */
export function currentStateDdl(schema: Schema): string {
  const custom = customColumns(schema)
    .map((f) => `,\n  ${q(f.name)} ${SQL_TYPE[f.type]}`)
    .join('');
  const inverse = schema.relations
    .map(
      (r) =>
        `  UNION ALL SELECT dst AS src, '${r.inverse.replace(/'/g, "''")}' AS kind, src AS dst FROM relations WHERE kind = '${r.name.replace(/'/g, "''")}'\n`,
    )
    .join('');
  // Work marked for agents, in ready's order: \`ready --for agent\` and \`prime\` walk it alone
  // (when none is marked, the walk in priority order read every ticket: 70 ms at 100,000).
  const agentWork = schema.fields.some((f) => f.name === 'audience')
    ? `CREATE INDEX tickets_for_agents ON tickets(priority_rank, created, id) WHERE "audience" = 'agent';\n`
    : '';
  return `
CREATE TABLE tickets (
  id TEXT PRIMARY KEY,
  short_id TEXT NOT NULL DEFAULT '',
  path TEXT NOT NULL,
  blob TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  type TEXT,
  status TEXT,
  category TEXT,
  category_rank INTEGER,
  priority TEXT,
  priority_rank INTEGER,
  assignee TEXT,
  owner TEXT,
  parent TEXT,
  project TEXT,
  created TEXT,
  updated TEXT,
  resolution TEXT,
  body TEXT NOT NULL DEFAULT '',
  fields TEXT NOT NULL DEFAULT '{}',
  dirty INTEGER NOT NULL DEFAULT 0,
  archived INTEGER NOT NULL DEFAULT 0${custom}
);
-- The default list order; with the parent it also covers the forest \`tree\` draws, which read
-- every open row of the table for its shape (73 MiB at 100,000 tickets instead of 6).
CREATE INDEX tickets_order ON tickets(category_rank, priority_rank, created, id, parent);
CREATE INDEX tickets_priority ON tickets(priority_rank, created, id);
CREATE UNIQUE INDEX tickets_path ON tickets(path);
CREATE INDEX tickets_parent ON tickets(parent);
-- Finds a user's tickets, and covers what \`ready\` tests of every ticket: its count of all ready
-- tickets (the total under a page) reads this index instead of every row (at 100,000 tickets
-- 5 MiB instead of 51, 56 → 21 ms; bench/README.md).
CREATE INDEX tickets_assignee ON tickets(assignee, category, type, status, id);
CREATE INDEX tickets_owner ON tickets(owner);
CREATE INDEX tickets_updated ON tickets(updated);
-- Counts the open tickets (the total under a page of tack list) from a small covering index
-- instead of every row, and finds the tickets of a category (list --category tests the same
-- expression): no index on the bare category column (40 bytes a ticket, issue 15).
CREATE INDEX tickets_open ON tickets(coalesce(category, ''), archived);
CREATE TABLE labels (ticket TEXT NOT NULL, label TEXT NOT NULL, PRIMARY KEY (ticket, label)) WITHOUT ROWID;
CREATE INDEX labels_label ON labels(label);
CREATE TABLE relations (src TEXT NOT NULL, kind TEXT NOT NULL, dst TEXT NOT NULL, PRIMARY KEY (src, kind, dst)) WITHOUT ROWID;
CREATE INDEX relations_dst ON relations(dst, kind);
CREATE VIEW edges AS
  SELECT src, kind, dst FROM relations
  UNION ALL SELECT dst AS src, 'child' AS kind, src AS dst FROM relations WHERE kind = 'parent'
${inverse};
-- Code commits and branches of tickets, from their front matter (tack commits scan, start --branch).
CREATE VIEW ticket_commits AS
  SELECT t.id AS ticket, c.value AS "commit", CASE WHEN c.value = json_extract(t.fields, '$.done_at') THEN 1 ELSE 0 END AS done
  FROM tickets t, json_each(t.fields, '$.commits') c WHERE json_type(t.fields, '$.commits') = 'array';
CREATE VIEW ticket_branches AS
  SELECT t.id AS ticket, b.value AS branch FROM tickets t, json_each(t.fields, '$.branches') b WHERE json_type(t.fields, '$.branches') = 'array';
CREATE TABLE comments (id TEXT NOT NULL, ticket TEXT NOT NULL, author TEXT, created TEXT, body TEXT, edited TEXT, seq INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (ticket, id)) WITHOUT ROWID;
CREATE TABLE links (src TEXT NOT NULL, target TEXT NOT NULL, target_kind TEXT NOT NULL, origin TEXT NOT NULL, PRIMARY KEY (src, target, origin)) WITHOUT ROWID;
CREATE INDEX links_target ON links(target);
CREATE TABLE tags (ticket TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (ticket, tag)) WITHOUT ROWID;
-- The \`aliases\` of a ticket's front matter (ids it had in another tracker), lower-cased by
-- SQLite's lower(): search finds the ticket an alias names without reading every ticket.
CREATE TABLE aliases (alias TEXT NOT NULL, ticket TEXT NOT NULL, PRIMARY KEY (alias, ticket)) WITHOUT ROWID;
CREATE INDEX aliases_ticket ON aliases(ticket);
CREATE INDEX tags_tag ON tags(tag);
CREATE TABLE docs (path TEXT PRIMARY KEY, blob TEXT NOT NULL, title TEXT, body TEXT);
CREATE TABLE problems (path TEXT PRIMARY KEY, line INTEGER, message TEXT NOT NULL);
CREATE TABLE tree_files (path TEXT PRIMARY KEY, blob TEXT NOT NULL, mode TEXT NOT NULL DEFAULT '100644') WITHOUT ROWID;
CREATE TABLE worktree_files (path TEXT PRIMARY KEY, mtime_ms REAL, size INTEGER, blob TEXT) WITHOUT ROWID;
-- A prefix index: every search ends in a prefix term (what is typed is unfinished). One- and
-- two-character prefixes scan the term list instead, as fast at 10,000 tickets (bench/README.md)
-- and 70 bytes a ticket smaller than also keeping a 2-character index.
-- The full-text index keeps no copy of the text (issue 15: 130 bytes a ticket): its columns
-- are read from this view, which gives exactly what was indexed (ticketRows.ts indexes the
-- comments the comments table keeps, in its order). A row leaves the index before its
-- ticket and comments rows change, so a delete reads the text it indexed.
CREATE VIEW ticket_text AS
  SELECT t.rowid AS rid, t.title, t.body,
    coalesce((SELECT group_concat(c.body, char(10, 10) ORDER BY c.seq) FROM comments c WHERE c.ticket = t.id), '') AS comments
  FROM tickets t;
CREATE VIRTUAL TABLE tickets_fts USING fts5(title, body, comments, content = 'ticket_text', content_rowid = 'rid', tokenize = 'porter unicode61', prefix = '3');
CREATE TABLE claims (ticket TEXT PRIMARY KEY, sha TEXT NOT NULL, owner TEXT, expires TEXT, claimed TEXT) WITHOUT ROWID;
${agentWork}`;
}

/** Tables derived from the history of the ref: who changed what, when. */
export const HISTORY_DDL = `
CREATE TABLE commits (
  sha TEXT PRIMARY KEY,
  parents TEXT,
  author_name TEXT,
  author_email TEXT,
  author_time TEXT,
  committer_name TEXT,
  committer_time TEXT,
  subject TEXT,
  message TEXT,
  op TEXT,
  seq INTEGER,
  actor TEXT,
  agent TEXT,
  harness TEXT,
  model TEXT,
  session TEXT
);
CREATE INDEX commits_time ON commits(author_time);
CREATE UNIQUE INDEX commits_seq ON commits(seq);
-- The per-commit tables name their commit by its seq, not its 40-character sha (issue 15:
-- the sha repeated on every row was a third of the index). Each is read through a view of
-- the old name and columns, so queries, tack sql and docs see the same tables as before.
CREATE TABLE commit_trailer_rows (seq INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX commit_trailer_rows_seq ON commit_trailer_rows(seq);
CREATE VIEW commit_trailers AS
  SELECT c.sha AS commit_sha, r.key, r.value FROM commit_trailer_rows r JOIN commits c ON c.seq = r.seq;
CREATE TABLE commit_ticket_rows (ticket TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (ticket, seq)) WITHOUT ROWID;
-- A commit's history rows are found through its tickets (every row's ticket is one of them):
-- one entry per ticket and commit instead of one per changed field.
CREATE INDEX commit_ticket_rows_seq ON commit_ticket_rows(seq);
CREATE VIEW commit_tickets AS
  SELECT c.sha AS commit_sha, r.ticket FROM commit_ticket_rows r JOIN commits c ON c.seq = r.seq;
CREATE TABLE file_version_rows (path TEXT NOT NULL, seq INTEGER NOT NULL, blob TEXT, status TEXT NOT NULL, PRIMARY KEY (path, seq)) WITHOUT ROWID;
-- A commit's files (recent, triggers): without it each such query read every ticket file's
-- versions (10 ms a commit at 100,000 tickets, whatever the commit's size).
CREATE INDEX file_version_rows_seq ON file_version_rows(seq);
CREATE VIEW file_versions AS
  SELECT c.sha AS commit_sha, r.path, r.blob, r.status FROM file_version_rows r JOIN commits c ON c.seq = r.seq;
-- One row per changed field; n orders a commit's changes to one ticket as the diff listed
-- them. Kept in (ticket, seq, n) order, so a ticket's history is one range of the table.
CREATE TABLE history_rows (
  ticket TEXT NOT NULL,
  seq INTEGER NOT NULL,
  n INTEGER NOT NULL,
  field TEXT NOT NULL,
  old TEXT,
  new TEXT,
  PRIMARY KEY (ticket, seq, n)
) WITHOUT ROWID;
CREATE VIEW history AS
  SELECT c.sha AS commit_sha, c.author_time AS time, c.author_name AS author, r.ticket, r.field, r.old, r.new
  FROM history_rows r JOIN commits c ON c.seq = r.seq;
-- Who made each commit (docs/agents.md): NULL actor for commits that record none (plain git, older Tack).
CREATE VIEW commit_provenance AS SELECT sha AS commit_sha, actor, agent, harness, model, session FROM commits;
`;

export const META_DDL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS blob_cache (blob TEXT PRIMARY KEY, json TEXT NOT NULL) WITHOUT ROWID;
`;

const INDEX_LINE = /^CREATE (UNIQUE )?INDEX .*;$/;

/**
 * DDL split into its tables and views and its indexes: a full build fills the tables first
 * and creates the indexes afterwards, which is faster than updating them row by row and
 * leaves their pages full instead of half-split.
 */
export function splitIndexes(ddl: string): { tables: string; indexes: string } {
  const lines = ddl.split('\n');
  return {
    tables: lines.filter((l) => !INDEX_LINE.test(l)).join('\n'),
    indexes: lines.filter((l) => INDEX_LINE.test(l)).join('\n'),
  };
}

/** Drop everything except meta and the blob cache (both outlive a rebuild). */
export function dropDerived(db: Pick<Database, 'prepare' | 'exec'>): void {
  const objs = db
    .prepare<{ type: string; name: string }>(
      "SELECT type, name FROM sqlite_master WHERE name NOT IN ('meta','blob_cache') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'tickets_fts_%' AND type IN ('table','view')",
    )
    .all();
  for (const o of objs) db.exec(`DROP ${o.type === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS "${o.name}"`);
}
