import { YAML_LIMITS } from '../model/boundedYaml.js';
import type { BlobFile } from '../git/blobFile.js';
import { missingBlobProblem, readBlobs } from '../git/objects.js';
import type { DiffEntry } from '../git/treeListing.js';
import { shortenAgainst } from '../model/ids.js';
import type { Schema } from '../model/schema.js';
import { misplacedTicket } from '../model/ticketPath.js';
import { idFromAnyTicketPath, storeRelative } from '../store/store.js';
import type { Index } from './indexDb.js';
import { startsWithSql } from './ticketIds.js';
import { type BlobCache, type TicketWriter, parseBlob, type Parsed } from './ticketRows.js';
import type { CurrentTree } from './currentTree.js';
import type { HistoryDeps } from './history.js';

/*
 * The steps every index update shares (full rebuild, incremental refresh, snapshots at
 * a revision, a process's own commits): parse blobs once, write ticket and doc rows,
 * keep short ids and prefix references right.
 */

/** Progress of long work (a full rebuild): called often, throttled by whoever shows it. */
export type Progress = (done: number, total: number, label: string) => void;

export interface Ctx {
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

/** Parse blobs, reading only the ones not already parsed or cached, in one git call. */
export function parseBlobs(
  ctx: Pick<Ctx, 'idx' | 'cache' | 'parsed' | 'progress'>,
  shas: string[],
  paths: Map<string, string>,
  from?: BlobFile,
): Map<string, Parsed> {
  const out = new Map<string, Parsed>();
  const missing: string[] = [];
  for (const sha of new Set(shas)) {
    const hit = ctx.parsed.get(sha) ?? ctx.cache.lookup(sha);
    if (hit) out.set(sha, hit);
    else missing.push(sha);
  }
  const texts = readBlobs(ctx.idx.store.repo, missing, YAML_LIMITS.fileBytes, from);
  let done = 0;
  for (const [sha, buf] of texts) {
    // Not cached: a committed version is re-read from git when needed (ticketDataOf), cheaper
    // than keeping a parsed copy of the whole history in the index.
    const parsed = parseBlob(buf, paths.get(sha) ?? sha);
    out.set(sha, parsed);
    ctx.progress?.(++done, texts.size, 'parsing ticket versions');
  }
  for (const [sha, p] of out) ctx.parsed.set(sha, p);
  return out;
}

/**
 * Parses history's blobs batch by batch: a batch's versions are dropped after the next one
 * (an older version needed again is read from git again), so memory is bounded by two
 * batches, not the whole history. A current version (`tree`, a full build) is written to
 * the ticket tables as soon as it is parsed, so none is kept and none parsed twice.
 */
export function historyParser(ctx: Ctx, tree: CurrentTree | null): HistoryDeps['parseBlobs'] {
  let previous = new Map<string, Parsed>();
  return (shas, paths, from) => {
    // A version's predecessor is usually in the batch before: kept, it is not parsed again.
    const parsed = new Map<string, Parsed>();
    for (const sha of shas) {
      const p = previous.get(sha) ?? ctx.parsed.get(sha);
      if (p) parsed.set(sha, p);
    }
    // No progress of its own: a batch's "n of 1,024 parsed" would interrupt the build's.
    previous = parseBlobs({ ...ctx, parsed, progress: undefined }, shas, paths, from);
    tree?.writeParsed(previous, paths);
    return previous;
  };
}

export function docTitle(text: string, rel: string): string {
  const m = /^#\s+(.+)$/m.exec(text);
  return m ? m[1].trim() : rel.replace(/^docs\//, '');
}

/** A file under tickets/ or archive/ that holds no ticket is a problem of its own, never read. */
export function notATicket(ctx: Ctx, rel: string, removed: boolean): void {
  const why = misplacedTicket(rel);
  if (!why) return;
  if (removed) ctx.writer.removePath(rel);
  else ctx.writer.notATicket(rel, why);
}

/** Ticket files read, parsed and written at a time when many changed. */
const WRITE_SLICE = 1000;

/** Committed files to write to the ticket and doc tables (CommittedFiles.add, then write). */
export class CommittedFiles {
  private tickets: Array<{ rel: string; id: string; sha: string }> = [];
  private docs: Array<{ rel: string; sha: string }> = [];

  constructor(private readonly ctx: Ctx) {}

  /** A committed file under the store: `sha` null when it was removed. */
  add(rel: string, sha: string | null): void {
    const ctx = this.ctx;
    const id = idFromAnyTicketPath(rel);
    if (id) {
      if (sha === null) ctx.writer.removePath(rel);
      else this.tickets.push({ rel, id, sha });
      ctx.idsChanged = true;
    } else if (rel.startsWith('docs/') && rel.endsWith('.md')) {
      if (sha === null) ctx.idx.db.prepare('DELETE FROM docs WHERE path = ?').run(rel);
      else this.docs.push({ rel, sha });
    } else notATicket(ctx, rel, sha === null);
  }

  /** Read, parse and write what was added (`report`: progress over these tickets, null for none); returns how many tickets. */
  write(report: Progress | null = this.ctx.progress ?? null): number {
    const { ctx, tickets } = this;
    const prefix = ctx.idx.store.prefix;
    // In slices, each parse dropped once written: memory stays bounded whatever the number of tickets.
    for (let at = 0; at < tickets.length; at += WRITE_SLICE) {
      const slice = tickets.slice(at, at + WRITE_SLICE);
      const paths = new Map(slice.map((t) => [t.sha, `${prefix}${t.rel}`]));
      // Parsing shows as these tickets' progress, or not at all (the caller counts them).
      const parsed = parseBlobs(
        { ...ctx, progress: report ?? undefined },
        slice.map((t) => t.sha),
        paths,
      );
      slice.forEach((t, i) => {
        ctx.writer.write(t.rel, t.id, t.sha, parsed.get(t.sha) ?? missingBlob(t.sha), false, ctx.fresh);
        report?.(at + i + 1, tickets.length, 'indexing tickets');
      });
      for (const t of slice) ctx.parsed.delete(t.sha);
    }
    const docTexts = readBlobs(
      ctx.idx.store.repo,
      this.docs.map((d) => d.sha),
    );
    const putDoc = ctx.idx.db.prepare('INSERT OR REPLACE INTO docs(path, blob, title, body) VALUES (?, ?, ?, ?)');
    for (const d of this.docs) {
      const text = docTexts.get(d.sha)?.toString('utf8') ?? '';
      putDoc.run(d.rel, d.sha, docTitle(text, d.rel), text);
    }
    this.tickets = [];
    this.docs = [];
    return tickets.length;
  }
}

/** A file whose blob git does not have: a problem of that file alone. */
function missingBlob(sha: string): Parsed {
  return { ok: false, line: 1, message: missingBlobProblem(sha) };
}

/** Apply tree changes (committed state) to tree_files and, unless files are checked out, to the tickets. */
export function applyTreeChanges(ctx: Ctx, entries: DiffEntry[]): void {
  const db = ctx.idx.db;
  const checkedOut = ctx.idx.store.filesDir !== null;
  const setTree = db.prepare('INSERT OR REPLACE INTO tree_files(path, blob, mode) VALUES (?, ?, ?)');
  const delTree = db.prepare('DELETE FROM tree_files WHERE path = ?');
  const files = new CommittedFiles(ctx);
  for (const e of entries) {
    const rel = storeRelative(ctx.idx.store, e.path);
    if (!rel) continue;
    if (e.status === 'D') delTree.run(rel);
    else setTree.run(rel, e.newSha, e.newMode || '100644');
    if (!checkedOut) files.add(rel, e.status === 'D' ? null : e.newSha);
  }
  files.write();
}

/** After a few ids came or went, only they and their sorted neighbours can change display. */
export function updateShortIdsAround(db: Index['db'], ids: string[]): void {
  const prev = db.prepare<{ id: string }>('SELECT id FROM tickets WHERE id < ? ORDER BY id DESC LIMIT 1');
  const next = db.prepare<{ id: string }>('SELECT id FROM tickets WHERE id > ? ORDER BY id LIMIT 1');
  const upd = db.prepare('UPDATE tickets SET short_id = ? WHERE id = ?');
  const touched = new Set<string>();
  for (const id of ids) {
    touched.add(id);
    for (const st of [prev, next]) {
      const r = st.get(id);
      if (r) touched.add(r.id);
    }
  }
  for (const id of touched) {
    const p = prev.get(id)?.id;
    const n = next.get(id)?.id;
    upd.run(shortenAgainst(id, [p, n]), id);
  }
}

/** Rows of tickets read at a time by updateShortIds. */
const SHORT_ID_PAGE = 1000;

/**
 * Every ticket's short id from its neighbours in id order, read a page at a time: all rows at
 * once were ~20 MB of heap at 100,000 tickets, at the very end of a full build. A full build
 * writes rows with their short id already (presetShortIds), so this usually changes none.
 */
export function updateShortIds(db: Index['db'], pageRows = SHORT_ID_PAGE): void {
  const page = db.prepare<{ id: string; short_id: string }>(
    `SELECT id, short_id FROM tickets WHERE id > ? ORDER BY id LIMIT ${pageRows}`,
  );
  const upd = db.prepare('UPDATE tickets SET short_id = ? WHERE id = ?');
  // The row before the one being shortened, that row, and the one after it.
  let prev: string | undefined;
  let cur: { id: string; short_id: string } | undefined;
  const settle = (next: string | undefined) => {
    if (!cur) return;
    const s = shortenAgainst(cur.id, [prev, next]);
    if (s !== cur.short_id) upd.run(s, cur.id);
    prev = cur.id;
  };
  for (let after = ''; ; ) {
    const rows = page.all(after);
    for (const r of rows) {
      settle(r.id);
      cur = r;
    }
    if (rows.length < pageRows) break;
    after = rows[rows.length - 1].id;
  }
  settle(undefined);
}

/**
 * Ticket references written as a unique prefix (by hand) point at the full id. Each dangling
 * reference is two lookups in the ids' index (O(log n)): a pattern match read every ticket
 * for each, so 20,000 files pointing nowhere made a build take 41 s instead of 2.
 */
export function resolvePrefixes(db: Index['db']): void {
  const dangling = db
    .prepare(`SELECT 1 FROM links WHERE target_kind = 'ticket' AND target NOT IN (SELECT id FROM tickets)
    UNION ALL SELECT 1 FROM relations WHERE dst NOT IN (SELECT id FROM tickets)
    UNION ALL SELECT 1 FROM tickets WHERE parent IS NOT NULL AND parent NOT IN (SELECT id FROM tickets) LIMIT 1`)
    .get();
  if (!dangling) return;
  db.prepare(
    `UPDATE links SET target = ${uniqueIdStartingWith('links.target')}
      WHERE target_kind = 'ticket' AND target NOT IN (SELECT id FROM tickets) AND ${uniqueIdStartingWith('links.target')} IS NOT NULL`,
  ).run();
  db.prepare(
    `UPDATE OR IGNORE relations SET dst = ${uniqueIdStartingWith('relations.dst')}
      WHERE dst NOT IN (SELECT id FROM tickets) AND ${uniqueIdStartingWith('relations.dst')} IS NOT NULL`,
  ).run();
  db.prepare(
    `UPDATE tickets SET parent = ${uniqueIdStartingWith('tickets.parent')}
      WHERE parent IS NOT NULL AND parent NOT IN (SELECT id FROM tickets) AND ${uniqueIdStartingWith('tickets.parent')} IS NOT NULL`,
  ).run();
}

/**
 * SQL: the one ticket id that starts with `prefix` (an SQL expression), NULL when none or
 * several: the first id of the prefix's range, when no other follows it in the range.
 */
function uniqueIdStartingWith(prefix: string): string {
  const first = `(SELECT u.id FROM tickets u WHERE ${startsWithSql('u.id', prefix)} ORDER BY u.id LIMIT 1)`;
  const another = `SELECT 1 FROM tickets u2 WHERE ${startsWithSql('u2.id', prefix)} AND u2.id > f.id`;
  return `(SELECT f.id FROM tickets f WHERE f.id = ${first} AND NOT EXISTS (${another}))`;
}
