import { isTackError, TackError } from '../model/errors.js';
import { indexedSchema } from '../index/indexDb.js';
import { applyOwnCommit, ownParses, refresh } from '../index/refresh.js';
import type { Parsed } from '../index/ticketRows.js';
import { offerChangedTrees } from '../index/treeHints.js';
import { ensureFresh, staleness, isStale, type Index } from '../index/indexDb.js';
import type { FileChange } from '../git/commitWriter.js';
import { type ChangeSet, commitChange, type WriteResult } from '../store/storeWriter.js';
import { storeProvenance } from '../store/storeProvenance.js';
import { loadSchema } from '../store/storeReader.js';
import type { OpContext } from './op.js';
import { TicketEditor } from './ticketEditor.js';
import { enforceGates } from './gates.js';

export interface Mutation<T> {
  subject: string;
  value: T;
  /** Optional commit message body (e.g. the SQL statement or batch items behind the change). */
  body?: string;
  /** Files changed as they are, besides the edited tickets (moves to and from archive/). */
  extra?: FileChange[];
  /** Tickets those files belong to (each gets a Tack-Ticket trailer). */
  extraTickets?: string[];
  /** Checked-out texts the change already includes (see ChangeSet.supersedes). */
  supersedes?: Map<string, string>;
}

/** The index must describe the head an edit is computed from (cycle and existence checks). */
export function catchUp(idx: Index): void {
  const s = staleness(idx);
  if (isStale(s)) refresh(idx);
  idx.commit = s.head;
}

/** Refuse a write computed from a version of the ticket that is no longer current. */
function checkVersion(idx: Index, want: { ticket: string; version: string }): void {
  const row = idx.db.prepare<{ blob: string }>('SELECT blob FROM tickets WHERE id = ?').get(want.ticket);
  if (row && row.blob === want.version) return;
  throw new TackError(
    'conflict',
    `${want.ticket} changed since version ${want.version.slice(0, 10)} was read; read it again and reapply the change`,
    { id: want.ticket, expected_version: want.version, current_version: row?.blob ?? null },
  );
}

/** What a write commits, computed from `head`: the files and trailers, and the answer. */
export interface PlannedWrite<T> {
  changeSet: ChangeSet;
  value: T;
}

/** Where a write's paths start. */
export interface WriteAt {
  /**
   * Paths are relative to the tree's root, not the store's (`.gitattributes`, doctor's repairs
   * of whole-tree paths). Only inline mode differs, where the index reads such a commit by
   * refreshing rather than from the writer (it has checked-out files).
   */
  treeRoot?: boolean;
}

/**
 * The one write pipeline: `build` computes the change from the current head with the index
 * caught up to it (and the If-Match version checked), re-run on a newer head if another
 * writer got there first; the commit is then applied to the index. Every ticket edit comes
 * here through `mutate`; other store files (schema, docs, views, hand edits, doctor's repairs)
 * and the importers, which plan a whole change set at once, directly. Only `init` does not
 * (it creates the store).
 */
export async function commitWrite<T>(
  ctx: OpContext,
  build: (head: string | null, idx: Index) => PlannedWrite<T>,
  opts: WriteAt = {},
): Promise<{ commit: string | null; value: T; changed: boolean }> {
  const idx = await ctx.index();
  const { commit, value, changed, known } = writeAndIndex(ctx, idx, build, opts);
  ctx.changed = (ctx.changed ?? false) || changed;
  try {
    // Not applied (the schema changed: a full rebuild): what we wrote need not be read back from git.
    if (known) await ensureFresh(idx, known);
    await ctx.index();
  } catch (e) {
    throw commit ? committedAnyway(e, commit) : e;
  }
  return { commit, value, changed };
}

/** The commit an error says landed before it (committedAnyway), else null. */
export function committedIn(e: unknown): string | null {
  const d = isTackError(e) ? e.details : undefined;
  return d?.committed === true && typeof d.commit === 'string' ? d.commit : null;
}

/**
 * A failure after the commit landed (the index was locked past the wait, a full disk): the
 * change is in git, and the error must say so, or a caller who retries makes it twice.
 */
function committedAnyway(e: unknown, commit: string): TackError {
  const te = isTackError(e) ? e : new TackError('internal', e instanceof Error ? e.message : String(e));
  return new TackError(
    te.code,
    `${te.message}. The change itself was committed (${commit.slice(0, 12)}): do not repeat it; the next command brings the index up to date`,
    { ...te.details, committed: true, commit },
  );
}

/**
 * commitWrite's synchronous part: the commit, and the index brought to it when it can be.
 * Not async on purpose: an async function's suspended frame keeps what its registers last
 * held, and a large write's change set (an import's 100,000 paths and blob ids, ~40 MB) must
 * not outlive its commit while a full rebuild runs.
 */
function writeAndIndex<T>(
  ctx: OpContext,
  idx: Index,
  build: (head: string | null, idx: Index) => PlannedWrite<T>,
  opts: WriteAt,
): { commit: string | null; value: T; changed: boolean; known: ReadonlyMap<string, Parsed> | null } {
  const store = ctx.store();
  const res = commitChange(
    opts.treeRoot ? { ...store, prefix: '' } : store,
    (head) => {
      catchUp(idx);
      if (ctx.ifVersion) checkVersion(idx, ctx.ifVersion);
      const planned = build(head, idx);
      if (!opts.treeRoot)
        offerChangedTrees(
          idx,
          planned.changeSet.changes.map((c) => c.path),
        );
      return planned;
    },
    { date: process.env.TACK_NOW ? ctx.now() : undefined },
  );
  let known: ReadonlyMap<string, Parsed> | null = null;
  try {
    if (res.commit) known = indexOwnCommit(idx, res);
  } catch (e) {
    throw committedAnyway(e, res.commit!);
  }
  return { commit: res.commit, value: res.value, changed: res.changeSet.changes.length > 0, known };
}

/** Index our own commit from what we wrote; when it cannot be applied, the parses a full rebuild can use. */
function indexOwnCommit(idx: Index, res: WriteResult<unknown>): ReadonlyMap<string, Parsed> | null {
  const own = {
    parent: res.parent,
    commit: res.commit!,
    message: res.message,
    changes: res.changeSet.changes,
    blobs: res.blobs,
    author: res.author,
    committer: res.committer,
  };
  return applyOwnCommit(idx, own) ? null : ownParses(idx, own);
}

/**
 * Run a ticket edit as one commit: computed from the current head, re-run on a newer
 * head if another writer got there first, then the index is brought up to date.
 */
export function mutate<T>(
  ctx: OpContext,
  op: string,
  apply: (ed: TicketEditor) => Mutation<T>,
): Promise<{ commit: string | null; value: T; changed: boolean }> {
  const store = ctx.store();
  const now = ctx.now();
  return commitWrite(ctx, (head, idx) => {
    const schema =
      (idx.commit === head ? indexedSchema(idx.db) : null) ?? loadSchema(store, store.mode === 'inline' ? null : head);
    // A bulk edit checks the gates on each batch it seals, and here on the tickets it holds.
    const gates = (ids: readonly string[]) =>
      enforceGates(
        ed,
        () => ctx.user(),
        () => storeProvenance(store),
        op,
        ids,
      );
    const ed = new TicketEditor(store, schema, head, idx, now, { beforeSeal: gates });
    let mutation: Mutation<T>;
    let changeSet: ChangeSet;
    try {
      mutation = apply(ed);
      gates(ed.heldIds());
      changeSet = ed.finish(mutation.subject, op);
    } catch (e) {
      ed.discard();
      throw e;
    }
    const { value, body, extra, extraTickets, supersedes } = mutation;
    if (extra) changeSet.changes.push(...extra);
    for (const id of extraTickets ?? [])
      if (!changeSet.trailers.some(([k, v]) => k === 'Tack-Ticket' && v === id))
        changeSet.trailers.push(['Tack-Ticket', id]);
    return { changeSet: { ...changeSet, ...(body ? { body } : {}), ...(supersedes ? { supersedes } : {}) }, value };
  });
}
