import type { Database, Statement } from './sqlite.js';
import { extractRefs } from '../model/bodyRefs.js';
import { isTackError } from '../model/errors.js';
import { parseTicketData } from '../model/ticketCodec.js';
import { customColumns, DDL_VERSION } from './ddl.js';
import { readBlobs } from '../git/objects.js';
import type { Repo } from '../git/repo.js';
import { YAML_LIMITS } from '../model/boundedYaml.js';
import { ownerField, ticketFromData, validateTicket, type Ticket, type TicketData } from '../model/ticket.js';
import { layoutOf, priorityRank, type Schema } from '../model/schema.js';
import { ticketIdFromPath } from '../model/ticketPath.js';

export type Parsed = { ok: true; data: TicketData } | { ok: false; line: number; message: string };

/**
 * Parse a ticket blob once; the result is cached by blob id (schema-independent). Whatever
 * the file holds, the answer is data: a broken or hostile file is a problem of that file,
 * never an exception that stops the index (and with it every command).
 */
export function parseBlob(text: string | Uint8Array, path: string): Parsed {
  try {
    const data = parseTicketData(text, path);
    JSON.stringify(data); // what the cache stores must be storable: refuse here, as this file's problem
    return { ok: true, data };
  } catch (e) {
    if (isTackError(e)) {
      const d = (e.details ?? {}) as { line?: number; problem?: string };
      return { ok: false, line: d.line ?? 1, message: d.problem ?? e.message };
    }
    return {
      ok: false,
      line: 1,
      message: `unreadable ticket file: ${String((e as Error)?.message ?? e).split('\n')[0]}`,
    };
  }
}

/*
 * Cache keys carry the index version, which changes whenever the reader does: a result an
 * older reader cached for a blob (it may have trusted a file this one refuses) is never read
 * back, by this process or an older one still running on the same index.
 */
export const cacheKey = (blob: string): string => `d${DDL_VERSION}:${blob}`;

export class BlobCache {
  private get: Statement<{ json: string }>;
  private put: Statement;
  constructor(db: Database) {
    this.get = db.prepare<{ json: string }>('SELECT json FROM blob_cache WHERE blob = ?');
    this.put = db.prepare('INSERT OR REPLACE INTO blob_cache(blob, json) VALUES (?, ?)');
  }
  lookup(blob: string): Parsed | undefined {
    const row = this.get.get(cacheKey(blob));
    return row ? (JSON.parse(row.json) as Parsed) : undefined;
  }
  store(blob: string, parsed: Parsed): void {
    this.put.run(cacheKey(blob), JSON.stringify(parsed));
  }
}

/** The cached content of a ticket blob, if it parsed (null: unknown blob or a broken file). */
export function cachedTicketData(db: Database, blob: string | null): TicketData | null {
  if (!blob) return null;
  const p = new BlobCache(db).lookup(blob);
  return p?.ok ? p.data : null;
}

/**
 * The content of ticket blobs that parse (absent: unknown blob or a broken file). The cache
 * holds only checked-out versions no commit has; every other version is read from git in
 * one call and parsed again, so the index does not keep a second copy of the history.
 */
export function ticketDataOf(db: Database, repo: Repo, blobs: Iterable<string | null>): Map<string, TicketData> {
  const out = new Map<string, TicketData>();
  const cache = new BlobCache(db);
  const missing: string[] = [];
  for (const blob of new Set(blobs)) {
    if (!blob) continue;
    const p = cache.lookup(blob);
    if (p?.ok) out.set(blob, p.data);
    else if (!p) missing.push(blob);
  }
  for (const [blob, bytes] of readBlobs(repo, missing, YAML_LIMITS.fileBytes)) {
    const p = parseBlob(bytes, blob);
    if (p.ok) out.set(blob, p.data);
  }
  return out;
}

/** Default list order: work in progress first, then what is next, closed work last. */
const CATEGORY_RANK: Record<string, number> = {
  started: 0,
  unstarted: 1,
  backlog: 2,
  triage: 3,
  completed: 4,
  canceled: 5,
};

export function categoryRank(category: string | null): number {
  return category === null ? 6 : (CATEGORY_RANK[category] ?? 6);
}

function sqlValue(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (Array.isArray(v) || typeof v === 'object') return JSON.stringify(v);
  return v;
}

/** The writer's statements; those it reads rows from say their shape. */
interface WriterStatements extends Record<string, Statement> {
  rowid: Statement<{ rowid: number }>;
  idByPath: Statement<{ id: string }>;
  pathById: Statement<{ path: string }>;
}

/** Prepared statements for writing one ticket's rows across the current-state tables. */
export class TicketWriter {
  private stmts: WriterStatements;
  private shortIdOf: ((id: string) => string | undefined) | null = null;
  constructor(
    db: Database,
    private schema: Schema,
  ) {
    const custom = customColumns(schema).map((f) => `"${f.name}"`);
    const cols = [
      'id',
      'path',
      'blob',
      'title',
      'type',
      'status',
      'category',
      'category_rank',
      'priority',
      'priority_rank',
      'assignee',
      'owner',
      'parent',
      'project',
      'created',
      'updated',
      'resolution',
      'body',
      'fields',
      'dirty',
      'archived',
      ...custom,
    ];
    const updates = cols
      .filter((c) => c !== 'id')
      .map((c) => `${c} = excluded.${c}`)
      .join(', ');
    this.stmts = {
      // A new row starts with its short id as long as it can get (the whole id), unless a full
      // build preset them: the short ids, worked out once all ids are known, then shrink rows
      // in place instead of growing them (growing split every page of a full build and left it
      // a sixth empty).
      upsert: db.prepare(
        `INSERT INTO tickets (${cols.join(', ')}, short_id) VALUES (${cols.map(() => '?').join(', ')}, ?) ON CONFLICT(id) DO UPDATE SET ${updates}`,
      ),
      rowid: db.prepare<{ rowid: number }>('SELECT rowid FROM tickets WHERE id = ?'),
      delTicket: db.prepare('DELETE FROM tickets WHERE id = ?'),
      delLabels: db.prepare('DELETE FROM labels WHERE ticket = ?'),
      delRelations: db.prepare('DELETE FROM relations WHERE src = ?'),
      delComments: db.prepare('DELETE FROM comments WHERE ticket = ?'),
      delLinks: db.prepare('DELETE FROM links WHERE src = ?'),
      delTags: db.prepare('DELETE FROM tags WHERE ticket = ?'),
      delAliases: db.prepare('DELETE FROM aliases WHERE ticket = ?'),
      delFts: db.prepare('DELETE FROM tickets_fts WHERE rowid = ?'),
      label: db.prepare('INSERT OR IGNORE INTO labels(ticket, label) VALUES (?, ?)'),
      relation: db.prepare('INSERT OR IGNORE INTO relations(src, kind, dst) VALUES (?, ?, ?)'),
      comment: db.prepare(
        'INSERT OR REPLACE INTO comments(id, ticket, author, created, body, edited, seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      link: db.prepare('INSERT OR IGNORE INTO links(src, target, target_kind, origin) VALUES (?, ?, ?, ?)'),
      tag: db.prepare('INSERT OR IGNORE INTO tags(ticket, tag) VALUES (?, ?)'),
      // The values exactly as search matched them before this table (json_each of the field).
      aliases: db.prepare(
        "INSERT OR IGNORE INTO aliases(alias, ticket) SELECT lower(value), ? FROM json_each(?, '$.aliases') WHERE value IS NOT NULL",
      ),
      fts: db.prepare('INSERT INTO tickets_fts(rowid, title, body, comments) VALUES (?, ?, ?, ?)'),
      problem: db.prepare('INSERT OR REPLACE INTO problems(path, line, message) VALUES (?, ?, ?)'),
      delProblem: db.prepare('DELETE FROM problems WHERE path = ?'),
      idByPath: db.prepare<{ id: string }>('SELECT id FROM tickets WHERE path = ?'),
      pathById: db.prepare<{ path: string }>('SELECT path FROM tickets WHERE id = ?'),
    };
  }

  /**
   * A full build knows every id before it writes a row: rows start with their short ids
   * (updateShortIds then changes none), instead of each being rewritten once all are known.
   */
  presetShortIds(shortIdOf: (id: string) => string | undefined): void {
    this.shortIdOf = shortIdOf;
  }

  private clearChildren(id: string): void {
    for (const k of ['delLabels', 'delRelations', 'delComments', 'delLinks', 'delTags', 'delAliases'])
      this.stmts[k].run(id);
  }

  /**
   * The same ticket in both layouts of one folder (a merge of a branch not yet migrated, a
   * hand copy): the file in the schema's layout is read, the other is a problem until removed.
   */
  private winsDuplicate(path: string): boolean {
    return ticketIdFromPath(path)?.layout === layoutOf(this.schema);
  }

  private duplicate(loser: string, winner: string): void {
    this.stmts.problem.run(
      loser,
      1,
      `the same ticket is also at ${winner} (read from there); remove one of the two files`,
    );
  }

  /** A file under tickets/ or archive/ that is no ticket's (see misplacedTicket): a problem row only. */
  notATicket(path: string, why: string): void {
    this.stmts.problem.run(path, 1, why);
  }

  /** Where the ticket `id` was read from, if it is written. */
  pathOf(id: string): string | null {
    return this.stmts.pathById.get(id)?.path ?? null;
  }

  /** Remove whatever ticket the file at `path` held. */
  removePath(path: string): void {
    this.stmts.delProblem.run(path);
    const row = this.stmts.idByPath.get(path);
    if (!row) return;
    const r = this.stmts.rowid.get(row.id);
    if (r) this.stmts.delFts.run(r.rowid);
    this.clearChildren(row.id);
    this.stmts.delTicket.run(row.id);
  }

  /**
   * Write a parsed ticket file; a broken file becomes a problem row, not an exception.
   * `path` is store-relative: a file under archive/ is an archived ticket.
   */
  write(path: string, id: string, blob: string, parsed: Parsed, dirty: boolean, fresh = false): void {
    // The same id in tickets/ and archive/ (a hand-made copy): the live ticket wins.
    const other = this.stmts.pathById.get(id);
    if (other && other.path !== path) {
      if (sameFolder(path, other.path)) {
        if (!this.winsDuplicate(path)) {
          this.duplicate(path, other.path);
          return;
        }
        this.removePath(other.path);
        this.duplicate(other.path, path);
      } else {
        if (path.startsWith('archive/')) return;
        this.removePath(other.path);
      }
    }
    if (!fresh) this.removePath(path);
    if (!parsed.ok) {
      this.stmts.problem.run(path, parsed.line, parsed.message);
      return;
    }
    let t: Ticket;
    let problems: Array<{ message: string }>;
    try {
      t = ticketFromData(this.schema, parsed.data);
      problems = validateTicket(this.schema, t, id);
    } catch (e) {
      // Values no schema expects (a map where a title goes): the file's problem, not the index's.
      this.stmts.problem.run(path, 1, `unreadable ticket: ${String((e as Error)?.message ?? e).split('\n')[0]}`);
      return;
    }
    const warnings = parsed.data.warnings ?? [];
    if (problems.length > 0 || warnings.length > 0) {
      const line = problems.length > 0 ? 1 : warnings[0].line;
      this.stmts.problem.run(
        path,
        line,
        [...problems.map((p) => p.message), ...warnings.map((w) => w.message)].join('; '),
      );
    }
    t.id = id; // the file name is the identity, whatever a hand edit wrote in the field
    const s = this.stmts;
    const fields = JSON.stringify(parsed.data.fields);
    s.upsert.run(
      id,
      path,
      blob,
      t.title,
      t.type,
      t.status,
      t.category,
      categoryRank(t.category),
      t.priority,
      priorityRank(this.schema, t.priority),
      t.assignee,
      ownerField(t),
      t.parent,
      t.project,
      t.created,
      t.updated,
      t.resolution,
      t.body,
      fields,
      dirty ? 1 : 0,
      path.startsWith('archive/') ? 1 : 0,
      ...customColumns(this.schema).map((f) => sqlValue(t.custom[f.name])),
      this.shortIdOf?.(id) ?? id,
    );
    if (!fresh) this.clearChildren(id);
    for (const l of t.labels) s.label.run(id, l);
    if (t.parent) s.relation.run(id, 'parent', t.parent);
    for (const kind of Object.keys(t.relations)) for (const d of t.relations[kind]) s.relation.run(id, kind, d);
    // seq: the file's order, which settles comments made in the same second.
    for (const [i, c] of t.comments.entries())
      s.comment.run(c.id, id, c.author, c.created, c.text, c.edited ?? null, i);
    for (const l of t.links) s.link.run(id, l, /^[a-z][a-z0-9]{0,9}-[0-9a-z]{3,}$/.test(l) ? 'ticket' : 'doc', 'field');
    // Most tickets have no comments: their body is read as it is, not copied into a join.
    const refs = extractRefs(t.comments.length ? [t.body, ...t.comments.map((c) => c.text)].join('\n') : t.body);
    for (const tk of refs.tickets) s.link.run(id, tk, 'ticket', 'body');
    for (const d of refs.docs) s.link.run(id, d, 'doc', 'body');
    for (const tag of refs.tags) s.tag.run(id, tag);
    if (fields.includes('"aliases"')) s.aliases.run(id, fields);
    const rowid = s.rowid.get(id)!.rowid;
    s.fts.run(rowid, t.title, t.body, keptComments(t.comments).join('\n\n'));
  }
}

/**
 * The texts of the comments the comments table keeps, in its order: of two comments with one
 * id the later replaces the earlier (INSERT OR REPLACE), at the later one's place. The
 * full-text index reads its text back from that table (ddl.ts, ticket_text), so it indexes
 * exactly this.
 */
export function keptComments(comments: readonly { id: string; text: string }[]): string[] {
  if (comments.length === 0) return [];
  const byId = new Map<string, string>();
  for (const c of comments) {
    byId.delete(c.id);
    byId.set(c.id, c.text);
  }
  return [...byId.values()];
}

/** Both under tickets/ or both under archive/. */
function sameFolder(a: string, b: string): boolean {
  return a.split('/')[0] === b.split('/')[0];
}
