import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blobId } from '../git/objects.js';
import { diffTree } from '../git/treeListing.js';
import { isAncestor } from '../git/refs.js';
import { looseCommitTree, readLooseObject } from '../git/treePatch.js';
import { objectFormat, oidBytes } from '../git/objectFormat.js';
import { faultPoint } from '../git/fault.js';
import type { Schema } from '../model/schema.js';
import { idFromAnyTicketPath } from '../store/store.js';
import { readStoreFile } from '../store/storeReader.js';
import { schemaOrLastGood, type SchemaProblem } from './schemaFallback.js';
import { currentStateDdl, DDL_VERSION, dropDerived, HISTORY_DDL, splitIndexes } from './ddl.js';
import { indexHistory } from './history.js';
import { getMeta, setMeta, staleness, truncateWal, type Index, type Staleness } from './indexDb.js';
import { leanWhileBuilding } from './leanBuild.js';
import { scanWorktree } from './worktreeScan.js';
import { BlobCache, parseBlob, TicketWriter, type Parsed } from './ticketRows.js';
import { CurrentTree } from './currentTree.js';
import {
  applyTreeChanges,
  docTitle,
  notATicket,
  historyParser,
  resolvePrefixes,
  updateShortIds,
  type Ctx,
  type Progress,
} from './applyChanges.js';

export { applyOwnCommit, ownParses, type OwnCommit } from './ownCommit.js';
export type { Progress } from './applyChanges.js';

/** Checked-out files (inline mode): the current state is what is on disk. */
function applyWorktree(ctx: Ctx, scan: Staleness['worktree']): void {
  if (!scan || !ctx.idx.store.filesDir) return;
  const db = ctx.idx.db;
  const dir = ctx.idx.store.filesDir;
  const treeBlob = db.prepare<{ blob: string }>('SELECT blob FROM tree_files WHERE path = ?');
  const seen = db.prepare('INSERT OR REPLACE INTO worktree_files(path, mtime_ms, size, blob) VALUES (?, ?, ?, ?)');
  const putDoc = db.prepare('INSERT OR REPLACE INTO docs(path, blob, title, body) VALUES (?, ?, ?, ?)');
  // Removals first: a ticket moved between tickets/ and archive/ is one removal and one write.
  for (const p of scan.removed) {
    db.prepare('DELETE FROM worktree_files WHERE path = ?').run(p);
    if (idFromAnyTicketPath(p)) {
      ctx.writer.removePath(p);
      ctx.idsChanged = true;
    } else {
      db.prepare('DELETE FROM docs WHERE path = ?').run(p);
      notATicket(ctx, p, true);
    }
  }
  for (const f of scan.changed) {
    let bytes: Buffer;
    try {
      // Bytes, not text: the blob id is git's, and invalid UTF-8 is the file's problem.
      bytes = readFileSync(join(dir, f.path));
    } catch {
      continue; // vanished between stat and read: the next scan sees it gone
    }
    const sha = blobId(bytes, objectFormat(ctx.idx.store.repo));
    seen.run(f.path, f.mtimeMs, f.size, sha);
    const id = idFromAnyTicketPath(f.path);
    if (id) {
      let parsed = ctx.cache.lookup(sha);
      if (!parsed) {
        parsed = parseBlob(bytes, `${ctx.idx.store.prefix}${f.path}`);
        ctx.cache.store(sha, parsed);
      }
      const committed = treeBlob.get(f.path)?.blob;
      ctx.writer.write(f.path, id, sha, parsed, committed !== sha);
      ctx.idsChanged = true;
    } else if (f.path.startsWith('docs/')) {
      const text = bytes.toString('utf8');
      putDoc.run(f.path, sha, docTitle(text, f.path), text);
    } else notATicket(ctx, f.path, false);
  }
  db.exec(
    'UPDATE tickets SET dirty = (blob IS NOT (SELECT blob FROM tree_files WHERE tree_files.path = tickets.path))',
  );
}

/** The blob id of `path` in a commit, from loose objects only (null: ask git). */
function looseBlobAt(idx: Index, commit: string, path: string): string | null {
  const obj = readLooseObject(idx.store.repo, commit);
  const idLen = oidBytes(idx.store.repo);
  let sha = obj?.type === 'commit' ? looseCommitTree(idx.store.repo, commit) : null;
  for (const name of path.split('/')) {
    const tree = sha ? readLooseObject(idx.store.repo, sha) : null;
    if (tree?.type !== 'tree') return null;
    const at = tree.body.indexOf(Buffer.from(` ${name}\0`));
    sha = at < 0 ? null : tree.body.toString('hex', at + name.length + 2, at + name.length + 2 + idLen);
  }
  return sha;
}

/**
 * The schema at `head`. When another writer moved the ref, its schema is almost always the
 * one indexed: recognised by its blob id from loose objects, without starting git.
 */
function currentSchema(
  idx: Index,
  head: string | null,
): { schema: Schema; blob: string; problem?: SchemaProblem | null } {
  const known = getMeta(idx.db, 'schema_blob');
  const schemaJson = getMeta(idx.db, 'schema');
  if (
    head &&
    !idx.store.filesDir &&
    known &&
    schemaJson &&
    getMeta(idx.db, 'ddl') === DDL_VERSION &&
    looseBlobAt(idx, head, `${idx.store.prefix}schema.yaml`) === known
  ) {
    return { schema: JSON.parse(schemaJson) as Schema, blob: known };
  }
  return readCurrentSchema(idx, head);
}

/** A commit whose parent is `prev` descends from it: no need to ask git (the common case). */
function descends(idx: Index, prev: string, head: string): boolean {
  const obj = readLooseObject(idx.store.repo, head);
  if (obj?.type === 'commit' && obj.body.toString('latin1', 0, 600).includes(`\nparent ${prev}\n`)) return true;
  return isAncestor(idx.store.repo, prev, head);
}

function readCurrentSchema(
  idx: Index,
  head: string | null,
): { schema: Schema; blob: string; problem: SchemaProblem | null } {
  const text =
    readStoreFile(idx.store, idx.store.filesDir ? null : head, 'schema.yaml') ??
    (head ? readStoreFile(idx.store, head, 'schema.yaml') : null);
  if (text === null) throw new Error('no schema.yaml in the store');
  const { schema, problem } = schemaOrLastGood(text, `${idx.store.prefix}schema.yaml`, getMeta(idx.db, 'schema'));
  return { schema, problem, blob: blobId(text, objectFormat(idx.store.repo)) };
}

function recordSchemaProblem(idx: Index, problem: SchemaProblem): void {
  idx.db
    .prepare('INSERT OR REPLACE INTO problems(path, line, message) VALUES (?, ?, ?)')
    .run(`${idx.store.prefix}schema.yaml`, problem.line, problem.message);
}

/** Create the derived tables of a full build; returns their indexes, to create once they are filled. */
function createTables(db: Index['db'], schema: Schema): string {
  const current = splitIndexes(currentStateDdl(schema));
  const history = splitIndexes(HISTORY_DDL);
  db.exec(current.tables);
  db.exec(history.tables);
  return `${current.indexes}\n${history.indexes}`;
}

/** Bring the index up to date: incremental when the ref only moved forward; `progress` of a full build. */
export function refresh(idx: Index, progress?: Progress, known?: ReadonlyMap<string, Parsed>): void {
  const lean: { restore?: () => void } = {};
  try {
    update(idx, lean, progress, known);
  } finally {
    lean.restore?.();
  }
  // Set only by a full build, which leaves a WAL the size of the index (truncateWal).
  if (lean.restore) truncateWal(idx.db);
}

function update(
  idx: Index,
  lean: { restore?: () => void },
  shown?: Progress,
  known?: ReadonlyMap<string, Parsed>,
): void {
  const db = idx.db;
  db.transaction(() => {
    const s = staleness(idx); // re-check under the write lock: another process may have done it
    const prev = getMeta(db, 'commit');
    const { schema, blob, problem } = currentSchema(idx, s.head);
    const newCode = getMeta(db, 'ddl') !== DDL_VERSION;
    const full =
      newCode ||
      getMeta(db, 'schema_blob') !== blob ||
      prev === null ||
      s.head === null ||
      (prev !== s.head && !descends(idx, prev, s.head));
    // A full build holds every ticket at once: it runs lean (leanBuild.ts).
    if (full) lean.restore ??= leanWhileBuilding(db);
    // Only a full build is long enough to show (a first read of a large store: ~9 s at
    // 100,000 tickets); catching up with a few commits stays silent.
    const progress = full ? shown : undefined;
    const cache = new BlobCache(db);
    let deferred = '';
    if (full) {
      // Cached parses outlive a schema change, not a reader change: a new DDL version is
      // the code saying its reader may read the same blob differently.
      if (newCode) db.exec('DELETE FROM blob_cache');
      dropDerived(db);
      deferred = createTables(db, schema);
      setMeta(db, 'ddl', DDL_VERSION);
      setMeta(db, 'schema', JSON.stringify(schema));
      setMeta(db, 'schema_blob', blob);
      if (problem) recordSchemaProblem(idx, problem);
    }
    const ctx: Ctx = {
      idx,
      schema,
      cache,
      // Blobs this process just wrote (a large commit that changed the schema): not read back from git.
      parsed: new Map(known),
      fresh: full,
      writer: new TicketWriter(db, schema),
      idsChanged: false,
      progress,
    };
    let tree: CurrentTree | null = null;
    if (s.head && (full || prev !== s.head)) {
      const range = full ? s.head : `${prev}..${s.head}`;
      const prefix = idx.store.prefix.replace(/\/$/, '');
      tree = full ? new CurrentTree(ctx, s.head) : null;
      if (tree) ctx.writer.presetShortIds(tree.shortIdOf());
      const deps = { parseBlobs: historyParser(ctx, tree), progress };
      const { only } = indexHistory(db, idx.store, range, deps);
      // One new commit on top of ours (another writer's): its log entry is the tree diff.
      const one = !full && only?.parents.length === 1 && only.parents[0] === prev;
      if (!tree) applyTreeChanges(ctx, one ? only.changes : diffTree(idx.store.repo, prev, s.head, prefix));
    }
    db.exec(deferred);
    tree?.finish();
    faultPoint('during-refresh');
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
 * Fill an empty index with the store as it was at `commit` (for `--at REV`); the main index's
 * blob cache serves the checked-out versions it holds, the rest is parsed from git.
 */
export function buildSnapshot(idx: Index, cache: BlobCache, commit: string): void {
  const db = idx.db;
  const text = readStoreFile(idx.store, commit, 'schema.yaml');
  if (text === null) throw new Error(`no schema.yaml at ${commit}`);
  const { schema, problem } = schemaOrLastGood(text, `${idx.store.prefix}schema.yaml`, getMeta(idx.db, 'schema'));
  db.transaction(() => {
    const deferred = createTables(db, schema);
    if (problem) recordSchemaProblem(idx, problem);
    setMeta(db, 'ddl', DDL_VERSION);
    setMeta(db, 'schema', JSON.stringify(schema));
    const ctx: Ctx = {
      idx,
      schema,
      cache,
      parsed: new Map(),
      fresh: true,
      writer: new TicketWriter(db, schema),
      idsChanged: true,
    };
    const tree = new CurrentTree(ctx, commit);
    indexHistory(db, idx.store, commit, { parseBlobs: historyParser(ctx, tree) });
    db.exec(deferred);
    tree.finish();
    updateShortIds(db);
    resolvePrefixes(db);
    setMeta(db, 'commit', commit);
  })();
}
