import type { DiffEntry } from '../git/treeListing.js';
import { zeroOid } from '../git/objectFormat.js';
import { isoDate, type Signature } from '../git/identity.js';
import { parseTrailers, type LogCommit } from '../git/log.js';
import type { Schema } from '../model/schema.js';
import { idFromAnyTicketPath, storeRelative } from '../store/store.js';
import { faultPoint } from '../git/fault.js';
import { DDL_VERSION } from './ddl.js';
import { indexCommits, indexHistory } from './history.js';
import { getMeta, setMeta, type Index } from './indexDb.js';
import { BlobCache, parseBlob, TicketWriter, type Parsed } from './ticketRows.js';
import { applyTreeChanges, historyParser, resolvePrefixes, updateShortIdsAround, type Ctx } from './applyChanges.js';

export interface OwnCommit {
  parent: string | null;
  commit: string;
  message: string;
  /** Store-relative path → the content we wrote (null: deleted; undefined: packed as planned, read from git). */
  changes: Array<{ path: string; content?: string | null }>;
  /** Tree path → blob id written. */
  blobs: Map<string, string | null>;
  /** As recorded in the commit; null when git chose them (then the log entry is read). */
  author: Signature | null;
  committer: Signature | null;
}

function neighbours(db: Index['db'], id: string): string[] {
  const prev = db.prepare<{ id: string }>('SELECT id FROM tickets WHERE id < ? ORDER BY id DESC LIMIT 1').get(id);
  const next = db.prepare<{ id: string }>('SELECT id FROM tickets WHERE id > ? ORDER BY id LIMIT 1').get(id);
  return [prev?.id, next?.id].filter((x): x is string => !!x);
}

/** The log entry of our own commit, from what we wrote: git need not be asked. */
function ownLogEntry(idx: Index, own: OwnCommit, entries: DiffEntry[]): LogCommit | null {
  if (!own.author || !own.committer || !own.parent) return null;
  const before = idx.db.prepare<{ blob: string }>('SELECT blob FROM tree_files WHERE path = ?');
  const zero = zeroOid(idx.store.repo);
  const changes = entries.map((e) => {
    const rel = storeRelative(idx.store, e.path) ?? e.path;
    const old = before.get(rel)?.blob;
    return {
      ...e,
      oldSha: old ?? zero,
      newSha: e.status === 'D' ? zero : e.newSha,
      status: old ? (e.status === 'D' ? 'D' : 'M') : 'A',
    };
  });
  return {
    sha: own.commit,
    parents: [own.parent],
    message: own.message,
    trailers: parseTrailers(own.message),
    changes,
    authorName: own.author.name,
    authorEmail: own.author.email,
    authorTime: isoDate(own.author),
    committerName: own.committer.name,
    committerTime: isoDate(own.committer),
  };
}

/** The files a commit of ours wrote, parsed from what we wrote, by blob id. */
export function ownParses(idx: Index, own: OwnCommit): Map<string, Parsed> {
  const out = new Map<string, Parsed>();
  for (const c of own.changes) {
    const treePath = `${idx.store.prefix}${c.path}`;
    const sha = own.blobs.get(treePath);
    if (typeof c.content === 'string' && sha) out.set(sha, parseBlob(c.content, treePath));
  }
  return out;
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
    if (
      idx.store.filesDir ||
      getMeta(db, 'commit') !== own.parent ||
      own.parent === null ||
      getMeta(db, 'ddl') !== DDL_VERSION
    )
      return;
    if (own.changes.some((c) => c.path === 'schema.yaml')) return;
    const schemaJson = getMeta(db, 'schema');
    if (!schemaJson) return;
    const schema = JSON.parse(schemaJson) as Schema;
    const ctx: Ctx = {
      idx,
      schema,
      cache: new BlobCache(db),
      parsed: new Map(),
      fresh: false,
      writer: new TicketWriter(db, schema),
      idsChanged: false,
    };
    ctx.parsed = ownParses(idx, own);
    const entries: DiffEntry[] = [];
    const touched = new Set<string>();
    for (const c of own.changes) {
      const treePath = `${idx.store.prefix}${c.path}`;
      const sha = own.blobs.get(treePath) ?? null;
      const id = idFromAnyTicketPath(c.path);
      // A rewritten row loses its short id; a removed one changes its neighbours'.
      if (id) for (const x of [id, ...(c.content === null ? neighbours(db, id) : [])]) touched.add(x);
      entries.push({
        oldSha: '',
        newSha: sha ?? '',
        newMode: c.content === null ? '' : '100644',
        status: c.content === null ? 'D' : 'M',
        path: treePath,
      });
    }
    // Bounded as a refresh's: a bulk edit's commit names 34,000 versions before and after.
    const deps = { parseBlobs: historyParser(ctx, null) };
    const logEntry = ownLogEntry(idx, own, entries);
    if (logEntry) indexCommits(db, idx.store, [logEntry], deps);
    else indexHistory(db, idx.store, `${own.parent}..${own.commit}`, deps);
    applyTreeChanges(ctx, entries);
    faultPoint('during-index-update');
    if (touched.size) {
      updateShortIdsAround(
        db,
        [...touched].filter((id) => db.prepare('SELECT 1 FROM tickets WHERE id = ?').get(id)),
      );
      resolvePrefixes(db);
    }
    setMeta(db, 'commit', own.commit);
    idx.commit = own.commit;
    applied = true;
  }).immediate();
  return applied;
}
