import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blobId, diffTree, readBlobs, type DiffEntry } from '../git/objects.js';
import { isAncestor, ZERO_OID } from '../git/refs.js';
import { isoDate, type Signature } from '../git/identity.js';
import { parseTrailers, type LogCommit } from '../git/log.js';
import { shortenAgainst, shortIds } from '../model/ids.js';
import type { Schema } from '../model/schema.js';
import { idFromTicketPath, storeRelative } from '../store/store.js';
import { parseSchemaText, readStoreFile } from '../store/storeReader.js';
import { currentStateDdl, DDL_VERSION, dropDerived, HISTORY_DDL } from './ddl.js';
import { indexCommits, indexHistory } from './history.js';
import { getMeta, setMeta, staleness, type Index, type Staleness } from './indexDb.js';
import { scanWorktree } from './worktreeScan.js';
import { BlobCache, parseBlob, TicketWriter, type Parsed } from './ticketRows.js';

/** Progress of long work (a full rebuild): called often, throttled by whoever shows it. */
export type Progress = (done: number, total: number, label: string) => void;

interface Ctx {
  idx: Index;
  schema: Schema;
  cache: BlobCache;
  /** Parsed blobs of this refresh: history and current state share them. */
  parsed: Map<string, Parsed>;
  /** Tables were just created: nothing to remove before writing. */
  fresh: boolean;
  writer: TicketWriter;
  idsChanged: boolean;
  progress?: Progress;
}

/** Parse blobs, reading only the ones not already in the blob cache, in one git call. */
function parseBlobs(ctx: Pick<Ctx, 'idx' | 'cache' | 'parsed' | 'progress'>, shas: string[], paths: Map<string, string>): Map<string, Parsed> {
  const out = new Map<string, Parsed>();
  const missing: string[] = [];
  for (const sha of new Set(shas)) {
    const hit = ctx.parsed.get(sha) ?? ctx.cache.lookup(sha);
    if (hit) out.set(sha, hit);
    else missing.push(sha);
  }
  const texts = readBlobs(ctx.idx.store.repo, missing);
  let done = 0;
  for (const [sha, buf] of texts) {
    const parsed = parseBlob(buf.toString('utf8'), paths.get(sha) ?? sha);
    ctx.cache.store(sha, parsed);
    out.set(sha, parsed);
    ctx.progress?.(++done, texts.size, 'parsing ticket versions');
  }
  for (const [sha, p] of out) ctx.parsed.set(sha, p);
  return out;
}

function docTitle(text: string, rel: string): string {
  const m = /^#\s+(.+)$/m.exec(text);
  return m ? m[1].trim() : rel.replace(/^docs\//, '');
}

/** Apply tree changes (committed state) to tree_files and, unless files are checked out, to the tickets. */
function applyTreeChanges(ctx: Ctx, entries: DiffEntry[]): void {
  const { idx } = ctx;
  const db = idx.db;
  const checkedOut = idx.store.filesDir !== null;
  const setTree = db.prepare('INSERT OR REPLACE INTO tree_files(path, blob, mode) VALUES (?, ?, ?)');
  const delTree = db.prepare('DELETE FROM tree_files WHERE path = ?');
  const tickets: Array<{ rel: string; id: string; sha: string }> = [];
  const docs: Array<{ rel: string; sha: string }> = [];
  for (const e of entries) {
    const rel = storeRelative(idx.store, e.path);
    if (!rel) continue;
    if (e.status === 'D') delTree.run(rel);
    else setTree.run(rel, e.newSha, e.newMode || '100644');
    if (checkedOut) continue;
    const id = idFromTicketPath(rel);
    if (id) {
      if (e.status === 'D') ctx.writer.removePath(rel);
      else tickets.push({ rel, id, sha: e.newSha });
      ctx.idsChanged = true;
    } else if (rel.startsWith('docs/') && rel.endsWith('.md')) {
      if (e.status === 'D') db.prepare('DELETE FROM docs WHERE path = ?').run(rel);
      else docs.push({ rel, sha: e.newSha });
    }
  }
  const paths = new Map(tickets.map((t) => [t.sha, `${idx.store.prefix}${t.rel}`]));
  const parsed = parseBlobs(ctx, tickets.map((t) => t.sha), paths);
  tickets.forEach((t, i) => {
    ctx.writer.write(t.rel, t.id, t.sha, parsed.get(t.sha)!, false, ctx.fresh);
    ctx.progress?.(i + 1, tickets.length, 'indexing tickets');
  });
  const docTexts = readBlobs(idx.store.repo, docs.map((d) => d.sha));
  const putDoc = db.prepare('INSERT OR REPLACE INTO docs(path, blob, title, body) VALUES (?, ?, ?, ?)');
  for (const d of docs) {
    const text = docTexts.get(d.sha)?.toString('utf8') ?? '';
    putDoc.run(d.rel, d.sha, docTitle(text, d.rel), text);
  }
}

/** Checked-out files (inline mode): the current state is what is on disk. */
function applyWorktree(ctx: Ctx, scan: Staleness['worktree']): void {
  if (!scan || !ctx.idx.store.filesDir) return;
  const db = ctx.idx.db;
  const dir = ctx.idx.store.filesDir;
  const treeBlob = db.prepare('SELECT blob FROM tree_files WHERE path = ?');
  const seen = db.prepare('INSERT OR REPLACE INTO worktree_files(path, mtime_ms, size, blob) VALUES (?, ?, ?, ?)');
  const putDoc = db.prepare('INSERT OR REPLACE INTO docs(path, blob, title, body) VALUES (?, ?, ?, ?)');
  for (const f of scan.changed) {
    let text: string;
    try {
      text = readFileSync(join(dir, f.path), 'utf8');
    } catch {
      continue; // vanished between stat and read: the next scan sees it gone
    }
    const sha = blobId(text);
    seen.run(f.path, f.mtimeMs, f.size, sha);
    const id = idFromTicketPath(f.path);
    if (id) {
      let parsed = ctx.cache.lookup(sha);
      if (!parsed) {
        parsed = parseBlob(text, `${ctx.idx.store.prefix}${f.path}`);
        ctx.cache.store(sha, parsed);
      }
      const committed = (treeBlob.get(f.path) as { blob: string } | undefined)?.blob;
      ctx.writer.write(f.path, id, sha, parsed, committed !== sha);
      ctx.idsChanged = true;
    } else if (f.path.startsWith('docs/')) {
      putDoc.run(f.path, sha, docTitle(text, f.path), text);
    }
  }
  for (const p of scan.removed) {
    db.prepare('DELETE FROM worktree_files WHERE path = ?').run(p);
    if (idFromTicketPath(p)) {
      ctx.writer.removePath(p);
      ctx.idsChanged = true;
    } else db.prepare('DELETE FROM docs WHERE path = ?').run(p);
  }
  db.exec("UPDATE tickets SET dirty = (blob IS NOT (SELECT blob FROM tree_files WHERE tree_files.path = tickets.path))");
}

/** After a few ids came or went, only they and their sorted neighbours can change display. */
function updateShortIdsAround(db: Index['db'], ids: string[]): void {
  const prev = db.prepare('SELECT id FROM tickets WHERE id < ? ORDER BY id DESC LIMIT 1');
  const next = db.prepare('SELECT id FROM tickets WHERE id > ? ORDER BY id LIMIT 1');
  const upd = db.prepare('UPDATE tickets SET short_id = ? WHERE id = ?');
  const touched = new Set<string>();
  for (const id of ids) {
    touched.add(id);
    for (const st of [prev, next]) {
      const r = st.get(id) as { id: string } | undefined;
      if (r) touched.add(r.id);
    }
  }
  for (const id of touched) {
    const p = (prev.get(id) as { id: string } | undefined)?.id;
    const n = (next.get(id) as { id: string } | undefined)?.id;
    upd.run(shortenAgainst(id, [p, n]), id);
  }
}

function updateShortIds(db: Index['db']): void {
  const ids = (db.prepare('SELECT id, short_id FROM tickets ORDER BY id').all() as Array<{ id: string; short_id: string }>);
  const shorts = shortIds(ids.map((r) => r.id));
  const upd = db.prepare('UPDATE tickets SET short_id = ? WHERE id = ?');
  for (const r of ids) {
    const s = shorts.get(r.id)!;
    if (s !== r.short_id) upd.run(s, r.id);
  }
}

/** Ticket references written as a unique prefix (by hand) point at the full id. */
function resolvePrefixes(db: Index['db']): void {
  const dangling = db.prepare(`SELECT 1 FROM links WHERE target_kind = 'ticket' AND target NOT IN (SELECT id FROM tickets)
    UNION ALL SELECT 1 FROM relations WHERE dst NOT IN (SELECT id FROM tickets)
    UNION ALL SELECT 1 FROM tickets WHERE parent IS NOT NULL AND parent NOT IN (SELECT id FROM tickets) LIMIT 1`).get();
  if (!dangling) return;
  db.exec(`
    UPDATE links SET target = (SELECT id FROM tickets WHERE id LIKE links.target || '%')
      WHERE target_kind = 'ticket' AND target NOT IN (SELECT id FROM tickets)
        AND (SELECT count(*) FROM tickets WHERE id LIKE links.target || '%') = 1;
    UPDATE OR IGNORE relations SET dst = (SELECT id FROM tickets WHERE id LIKE relations.dst || '%')
      WHERE dst NOT IN (SELECT id FROM tickets)
        AND (SELECT count(*) FROM tickets WHERE id LIKE relations.dst || '%') = 1;
    UPDATE tickets SET parent = (SELECT t2.id FROM tickets t2 WHERE t2.id LIKE tickets.parent || '%')
      WHERE parent IS NOT NULL AND parent NOT IN (SELECT id FROM tickets)
        AND (SELECT count(*) FROM tickets t2 WHERE t2.id LIKE tickets.parent || '%') = 1;
  `);
}

function currentSchema(idx: Index, head: string | null): { schema: Schema; blob: string } {
  const text = readStoreFile(idx.store, idx.store.filesDir ? null : head, 'schema.yaml') ??
    (head ? readStoreFile(idx.store, head, 'schema.yaml') : null);
  if (text === null) throw new Error('no schema.yaml in the store');
  return { schema: parseSchemaText(text, `${idx.store.prefix}schema.yaml`), blob: blobId(text) };
}

/** Bring the index up to date: incremental when the ref only moved forward. */
export function refresh(idx: Index, _hint: Staleness, progress?: Progress): void {
  const db = idx.db;
  db.transaction(() => {
    const s = staleness(idx); // re-check under the write lock: another process may have done it
    const prev = getMeta(db, 'commit');
    const { schema, blob } = currentSchema(idx, s.head);
    const full = getMeta(db, 'ddl') !== DDL_VERSION || getMeta(db, 'schema_blob') !== blob || prev === null ||
      s.head === null || (prev !== s.head && !isAncestor(idx.store.repo, prev, s.head));
    const cache = new BlobCache(db);
    if (full) {
      dropDerived(db);
      db.exec(currentStateDdl(schema));
      db.exec(HISTORY_DDL);
      setMeta(db, 'ddl', DDL_VERSION);
      setMeta(db, 'schema', JSON.stringify(schema));
      setMeta(db, 'schema_blob', blob);
    }
    const ctx: Ctx = { idx, schema, cache, parsed: new Map(), fresh: full, writer: new TicketWriter(db, schema), idsChanged: false, progress };
    const deps = { parseBlobs: (shas: string[], paths: Map<string, string>) => parseBlobs(ctx, shas, paths), progress };
    if (s.head && (full || prev !== s.head)) {
      const range = full ? s.head : `${prev}..${s.head}`;
      indexHistory(db, idx.store, range, deps);
      const prefix = idx.store.prefix.replace(/\/$/, '');
      applyTreeChanges(ctx, full ? diffTree(idx.store.repo, null, s.head, prefix) : diffTree(idx.store.repo, prev, s.head, prefix));
    }
    if (idx.store.filesDir) applyWorktree(ctx, full ? scanWorktree(db, idx.store.filesDir) : s.worktree);
    if (ctx.idsChanged) {
      updateShortIds(db);
      resolvePrefixes(db);
    }
    setMeta(db, 'commit', s.head);
    setMeta(db, 'indexed_at', new Date().toISOString());
  }).immediate();
}


/**
 * Fill an empty index with the store as it was at `commit` (for `--at REV`), reusing the
 * blob cache of the main index so past versions are parsed once.
 */
export function buildSnapshot(idx: Index, cache: BlobCache, commit: string): void {
  const db = idx.db;
  const text = readStoreFile(idx.store, commit, 'schema.yaml');
  if (text === null) throw new Error(`no schema.yaml at ${commit}`);
  const schema = parseSchemaText(text, `${idx.store.prefix}schema.yaml`);
  db.transaction(() => {
    db.exec(currentStateDdl(schema));
    db.exec(HISTORY_DDL);
    setMeta(db, 'ddl', DDL_VERSION);
    setMeta(db, 'schema', JSON.stringify(schema));
    const ctx: Ctx = { idx, schema, cache, parsed: new Map(), fresh: true, writer: new TicketWriter(db, schema), idsChanged: true };
    const deps = { parseBlobs: (shas: string[], paths: Map<string, string>) => parseBlobs(ctx, shas, paths) };
    indexHistory(db, idx.store, commit, deps);
    applyTreeChanges(ctx, diffTree(idx.store.repo, null, commit, idx.store.prefix.replace(/\/$/, '')));
    updateShortIds(db);
    resolvePrefixes(db);
    setMeta(db, 'commit', commit);
  })();
}

export interface OwnCommit {
  parent: string | null;
  commit: string;
  message: string;
  /** Store-relative path → the content we wrote (null: deleted). */
  changes: Array<{ path: string; content: string | null }>;
  /** Tree path → blob id written. */
  blobs: Map<string, string | null>;
  /** As recorded in the commit; null when git chose them (then the log entry is read). */
  author: Signature | null;
  committer: Signature | null;
}

function neighbours(db: Index['db'], id: string): string[] {
  const prev = db.prepare('SELECT id FROM tickets WHERE id < ? ORDER BY id DESC LIMIT 1').get(id) as { id: string } | undefined;
  const next = db.prepare('SELECT id FROM tickets WHERE id > ? ORDER BY id LIMIT 1').get(id) as { id: string } | undefined;
  return [prev?.id, next?.id].filter((x): x is string => !!x);
}

/** The log entry of our own commit, from what we wrote: git need not be asked. */
function ownLogEntry(idx: Index, own: OwnCommit, entries: DiffEntry[]): LogCommit | null {
  if (!own.author || !own.committer || !own.parent) return null;
  const before = idx.db.prepare('SELECT blob FROM tree_files WHERE path = ?');
  const changes = entries.map((e) => {
    const rel = storeRelative(idx.store, e.path) ?? e.path;
    const old = (before.get(rel) as { blob: string } | undefined)?.blob;
    return { ...e, oldSha: old ?? ZERO_OID, newSha: e.status === 'D' ? ZERO_OID : e.newSha, status: old ? (e.status === 'D' ? 'D' : 'M') : 'A' };
  });
  return {
    sha: own.commit, parents: [own.parent], message: own.message, trailers: parseTrailers(own.message), changes,
    authorName: own.author.name, authorEmail: own.author.email, authorTime: isoDate(own.author),
    committerName: own.committer.name, committerTime: isoDate(own.committer),
  };
}

/**
 * Index a commit this process just wrote from what it already knows (paths, contents,
 * blob ids, author): git is not asked at all. Falls back (returns false) when the index
 * was not at the commit's parent or files are checked out; the general refresh then runs.
 */
export function applyOwnCommit(idx: Index, own: OwnCommit): boolean {
  const db = idx.db;
  let applied = false;
  db.transaction(() => {
    if (idx.store.filesDir || getMeta(db, 'commit') !== own.parent || own.parent === null || getMeta(db, 'ddl') !== DDL_VERSION) return;
    if (own.changes.some((c) => c.path === 'schema.yaml')) return;
    const schemaJson = getMeta(db, 'schema');
    if (!schemaJson) return;
    const schema = JSON.parse(schemaJson) as Schema;
    const ctx: Ctx = { idx, schema, cache: new BlobCache(db), parsed: new Map(), fresh: false, writer: new TicketWriter(db, schema), idsChanged: false };
    const entries: DiffEntry[] = [];
    const touched = new Set<string>();
    for (const c of own.changes) {
      const treePath = `${idx.store.prefix}${c.path}`;
      const sha = own.blobs.get(treePath) ?? null;
      if (c.content !== null && sha) {
        const parsed = parseBlob(c.content, treePath);
        ctx.parsed.set(sha, parsed);
        ctx.cache.store(sha, parsed);
      }
      const id = idFromTicketPath(c.path);
      // A rewritten row loses its short id; a removed one changes its neighbours'.
      if (id) for (const x of [id, ...(c.content === null ? neighbours(db, id) : [])]) touched.add(x);
      entries.push({ oldSha: '', newSha: sha ?? '', newMode: c.content === null ? '' : '100644', status: c.content === null ? 'D' : 'M', path: treePath });
    }
    const deps = { parseBlobs: (shas: string[], paths: Map<string, string>) => parseBlobs(ctx, shas, paths) };
    const logEntry = ownLogEntry(idx, own, entries);
    if (logEntry) indexCommits(db, idx.store, [logEntry], deps);
    else indexHistory(db, idx.store, `${own.parent}..${own.commit}`, deps);
    applyTreeChanges(ctx, entries);
    if (touched.size) {
      updateShortIdsAround(db, [...touched].filter((id) => db.prepare('SELECT 1 FROM tickets WHERE id = ?').get(id)));
      resolvePrefixes(db);
    }
    setMeta(db, 'commit', own.commit);
    idx.commit = own.commit;
    applied = true;
  }).immediate();
  return applied;
}
