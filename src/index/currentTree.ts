import { eachTreeEntry } from '../git/treeListing.js';
import { shortenAgainst, sortedIndex } from '../model/ids.js';
import { idFromAnyTicketPath, storeRelative } from '../store/store.js';
import { CommittedFiles, type Ctx } from './applyChanges.js';
import type { Parsed } from './ticketRows.js';

/** Rows of tree_files read back at a time by the closing pass. */
const PAGE = 1000;

/**
 * The committed tree of a full build, kept in the index rather than in memory: a store of
 * 100,000 tickets held its tree listing, its current tickets by blob and the set of those
 * written for the whole build (~50 MiB). tree_files is filled first; while history is walked,
 * a version that is a file's current blob is written to the ticket tables as soon as it is
 * parsed (never parsed twice), and the files it was not seen for are written at the end,
 * found and read back from the index a page at a time.
 */
export class CurrentTree {
  /** Ticket files in the tree (none in inline mode: the files on disk are the state). */
  readonly tickets: number;
  private done = 0;
  private readonly blobAt;

  constructor(
    private readonly ctx: Ctx,
    head: string,
  ) {
    const { store, db } = ctx.idx;
    const setTree = db.prepare('INSERT OR REPLACE INTO tree_files(path, blob, mode) VALUES (?, ?, ?)');
    let tickets = 0;
    eachTreeEntry(store.repo, head, store.prefix.replace(/\/$/, ''), (e) => {
      const rel = storeRelative(store, e.path);
      if (!rel) return;
      setTree.run(rel, e.sha, e.mode);
      if (idFromAnyTicketPath(rel)) tickets++;
    });
    this.tickets = store.filesDir ? 0 : tickets;
    this.blobAt = db.prepare<{ blob: string }>('SELECT blob FROM tree_files WHERE path = ?');
  }

  /**
   * The display id of a current ticket, so rows are written with theirs (no update pass
   * after): from the sorted ids and its neighbours there (an array, not a map of 100,000).
   */
  shortIdOf(): (id: string) => string | undefined {
    if (this.tickets === 0) return () => undefined;
    const set = new Set<string>();
    for (const r of this.ctx.idx.db.prepare<{ path: string }>('SELECT path FROM tree_files').iterate()) {
      const id = idFromAnyTicketPath(r.path);
      if (id) set.add(id);
    }
    const ids = [...set].sort();
    return (id) => {
      const at = sortedIndex(ids, id);
      return ids[at] === id ? shortenAgainst(id, [ids[at - 1], ids[at + 1]]) : undefined;
    };
  }

  /** Versions just parsed from history (`paths`: blob → tree path): the current ones are written now. */
  writeParsed(parsed: ReadonlyMap<string, Parsed>, paths: ReadonlyMap<string, string>): void {
    if (this.tickets === 0) return;
    const { ctx } = this;
    for (const [sha, p] of parsed) {
      const path = paths.get(sha);
      const rel = path === undefined ? null : storeRelative(ctx.idx.store, path);
      const id = rel ? idFromAnyTicketPath(rel) : null;
      if (!rel || !id || this.blobAt.get(rel)?.blob !== sha) continue;
      // A version met again (a ticket that went back to it): written once.
      if (ctx.writer.pathOf(id) === rel) continue;
      ctx.writer.write(rel, id, sha, p, false, ctx.fresh);
      ctx.idsChanged = true;
      this.advance(1);
    }
  }

  /** Progress over the tree's tickets (a file written twice, a broken one met again, counts once at most). */
  private advance(written: number): void {
    this.done = Math.min(this.tickets, this.done + written);
    if (written) this.ctx.progress?.(this.done, this.tickets, 'indexing tickets');
  }

  /**
   * Write every file of the tree history did not: tickets whose current version was not met
   * as such (a copy of another file's blob), docs, and files that are not tickets. Run once
   * the tables' indexes exist: what is written already is found through them.
   */
  finish(): void {
    const { ctx } = this;
    if (ctx.idx.store.filesDir !== null) return;
    const page = ctx.idx.db.prepare<{ path: string; blob: string }>(
      `SELECT t.path, t.blob FROM tree_files t WHERE t.path > ?
         AND NOT EXISTS (SELECT 1 FROM tickets k WHERE k.path = t.path AND k.blob = t.blob)
         AND NOT EXISTS (SELECT 1 FROM problems p WHERE p.path = t.path)
       ORDER BY t.path LIMIT ${PAGE}`,
    );
    const files = new CommittedFiles(ctx);
    for (let after = ''; ; ) {
      const rows = page.all(after);
      if (rows.length === 0) break;
      for (const r of rows) files.add(r.path, r.blob);
      this.advance(files.write(null)); // progress over the whole tree, not the page
      after = rows[rows.length - 1].path;
    }
  }
}
