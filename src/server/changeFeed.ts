import { existsSync } from 'node:fs';
import { getMeta, type Index } from '../index/indexDb.js';
import {
  changedFields,
  committedTicketBlob,
  dirtyTickets,
  ticketFileProblem,
  ticketChangesSince,
  uncommittedFiles,
  type TicketCommitChange,
} from '../index/eventQueries.js';
import { idFromTicketPath } from '../store/store.js';
import { writerLockPath } from '../store/storeWriter.js';
import type { OpContext } from '../ops/op.js';
import type { EventLog, EventType } from './events.js';

/** A merge (a sync, a pull) is `synced` whatever it did; the commits it merged have their own events. */
function typeOf(c: TicketCommitChange): EventType {
  if (c.op === 'sync' || c.parents > 1) return 'synced';
  // Still there, in archive/: changed, not gone (its page keeps showing it).
  if (c.op === 'archive') return 'updated';
  if (c.status === 'A') return 'created';
  if (c.status === 'D') return 'deleted';
  if (c.op === 'claim' || c.op === 'release') return 'claimed';
  if (c.fields.length > 0 && c.fields.every((f) => f === 'comment')) return 'commented';
  return 'updated';
}

/**
 * Turns whatever moved the store (a write by this server, a CLI in another process, a
 * pull, a commit by plain git, a hand edit of a checked-out file) into events: it brings
 * the index up to date first, then reads what changed from the index, so a client that
 * re-reads on an event sees the new state. Checks are serialised; a check asked for
 * while one runs makes it run once more.
 */
export class ChangeFeed {
  private lastCommit: string | null = null;
  private dirty = new Map<string, string>();
  private removed = new Set<string>();
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: OpContext,
    private readonly log: EventLog,
  ) {}

  /** Take the current state as the baseline: no events for what happened before the start. */
  async start(): Promise<void> {
    const idx = await this.ctx.index();
    this.lastCommit = getMeta(idx.db, 'commit');
    if (idx.store.filesDir) {
      this.dirty = dirtyTickets(idx.db);
      this.removed = this.removedTickets(idx);
    }
  }

  check(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.scan();
        } catch (e) {
          // A scan cut short by the stop (its index closed under it) is no error.
          if (!this.stopped) throw e;
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
  }

  private async scan(): Promise<void> {
    if (this.stopped) return;
    const store = this.ctx.store();
    // A writer of checked-out files commits first and writes the files after, under this
    // lock: looking in between would report the files as edited back to the old state.
    if (store.filesDir && existsSync(writerLockPath(store))) {
      this.retry ??= setTimeout(() => {
        this.retry = null;
        void this.check();
      }, 25);
      return;
    }
    const idx = await this.ctx.index();
    const covered = this.committedChanges(idx);
    if (idx.store.filesDir) this.worktreeChanges(idx, covered);
  }

  private committedChanges(idx: Index): Set<string> {
    const head = getMeta(idx.db, 'commit');
    const covered = new Set<string>();
    if (head === this.lastCommit) return covered;
    const changes = ticketChangesSince(idx.db, this.lastCommit);
    this.lastCommit = head;
    if (changes === null) {
      // History was rewritten (reset, force-push): no commit-by-commit story to tell.
      this.log.emit({
        type: 'synced',
        ticket: null,
        commit: head,
        fields: [],
        message: 'the store ref moved to an unrelated commit; re-read everything',
      });
      return covered;
    }
    for (const c of changes) {
      covered.add(c.ticket);
      this.log.emit({
        type: typeOf(c),
        ticket: c.ticket,
        commit: c.commit,
        fields: c.fields,
        op: c.op,
        author: c.author,
      });
    }
    return covered;
  }

  private removedTickets(idx: Index): Set<string> {
    return new Set(
      uncommittedFiles(idx.db)
        .removed.map(idFromTicketPath)
        .filter((x): x is string => !!x),
    );
  }

  private worktreeChanges(idx: Index, covered: Set<string>): void {
    const db = idx.db;
    const now = dirtyTickets(db);
    for (const [id, blob] of now) {
      const prev = this.dirty.get(id);
      if (prev === blob) continue;
      const problem = ticketFileProblem(db, id);
      if (problem) {
        this.log.emit({ type: 'problem', ticket: id, commit: null, fields: [], uncommitted: true, message: problem });
        continue;
      }
      const base = prev ?? committedTicketBlob(db, id);
      this.log.emit({
        type: base ? 'updated' : 'created',
        ticket: id,
        commit: null,
        fields: changedFields(db, idx.store.repo, base, blob),
        uncommitted: true,
      });
    }
    const removed = this.removedTickets(idx);
    for (const id of removed) {
      if (!this.removed.has(id))
        this.log.emit({ type: 'deleted', ticket: id, commit: null, fields: [], uncommitted: true });
    }
    for (const [id, blob] of this.dirty) {
      if (now.has(id) || covered.has(id) || removed.has(id)) continue;
      // The file went back to its committed content (an undo, a checkout).
      const committed = committedTicketBlob(db, id);
      this.log.emit({
        type: committed ? 'updated' : 'deleted',
        ticket: id,
        commit: null,
        fields: changedFields(db, idx.store.repo, blob, committed),
        uncommitted: true,
      });
    }
    this.dirty = now;
    this.removed = removed;
  }
}
