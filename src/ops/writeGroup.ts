import { ensureFresh, type Index } from '../index/indexDb.js';
import { prefetchStoreFiles } from '../store/storeReader.js';
import type { Store } from '../store/store.js';
import { holdStoreWrites, inWriterTurn } from '../store/storeWriter.js';
import type { HeldRef } from '../git/refs.js';
import type { OpContext } from './op.js';
import { runOp } from './runOp.js';

/** One write of a group: its own context (deadline, If-Match), operation and input. */
export interface GroupedWrite {
  ctx: OpContext;
  name: string;
  input: unknown;
}

export type GroupedOutcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Ticket edits that only commit through `mutate` and read the index: nothing of theirs
 * reaches another ref, a remote, a branch or a checked-out file, so their commits can wait
 * for the group's one ref update.
 */
const GROUPABLE: ReadonlySet<string> = new Set([
  'update',
  'create',
  'comment',
  'comment-edit',
  'comment-delete',
  'label-add',
  'label-rm',
  'link',
  'unlink',
  'reopen',
]);

/** Can `name` with `input` join a group of writes? (create with `store` writes elsewhere.) */
export function groupable(name: string, input: unknown): boolean {
  if (!GROUPABLE.has(name)) return false;
  return !(name === 'create' && typeof input === 'object' && input !== null && 'store' in input);
}

/**
 * The files of the tickets the writes name, read ahead with one request to a live git
 * process: in a packed store each write would otherwise start its own to read its ticket.
 */
async function readAhead(store: Store, idx: Index, writes: readonly GroupedWrite[]): Promise<void> {
  const ids = new Set<string>();
  for (const w of writes) {
    const id = (w.input as { id?: unknown } | null)?.id;
    if (typeof id === 'string') ids.add(id);
  }
  if (ids.size === 0 || !idx.commit) return;
  const rows = idx.db
    .prepare<{ path: string }>(`SELECT path FROM tickets WHERE id IN (${[...ids].map(() => '?').join(', ')})`)
    .all(...ids);
  await prefetchStoreFiles(
    store,
    idx.commit,
    rows.map((r) => r.path),
  );
}

async function oneByOne(writes: readonly GroupedWrite[]): Promise<GroupedOutcome[]> {
  const out: GroupedOutcome[] = [];
  for (const w of writes) {
    try {
      out.push({ ok: true, value: (await runOp(w.ctx, w.name, w.input)) ?? null });
    } catch (error) {
      out.push({ ok: false, error });
    }
  }
  return out;
}

export interface GroupOptions {
  /** Runs after the last write, before the ref moves (tests: another writer moving the ref). */
  beforePublish?: () => void;
}

/**
 * Run writes that arrived together as one group (the server's write lane): each is still
 * one commit, made in order on the one before, with its own answer; the ref moves once, by
 * compare-and-swap, from where it was to the last commit, and the index's changes are one
 * transaction committed after it. Nobody sees a write before the ref moves, and the answers
 * wait for it. If another writer moved the ref meanwhile (one that ignores the writer lock),
 * the group's commits are dropped, the index rolled back, and the writes run again one by
 * one on the new head, as if they had come one at a time.
 *
 * Outside a branch-mode store of its own (inline mode, a mount, a workspace) or for a write
 * that is not a plain ticket edit, the writes simply run one after the other.
 */
export async function runWriteGroup(
  base: OpContext,
  writes: readonly GroupedWrite[],
  opts: GroupOptions = {},
): Promise<GroupedOutcome[]> {
  const store = base.store();
  const plain = store.mode === 'branch' && !store.filesDir && !store.workspace;
  if (writes.length < 2 || !plain || !writes.every((w) => groupable(w.name, w.input))) return oneByOne(writes);
  return inWriterTurn(store, async () => {
    const idx = await base.index();
    let published = false;
    idx.db.beginImmediate();
    let held: HeldRef | null = null;
    try {
      held = holdStoreWrites(store);
      await readAhead(store, idx, writes);
      const outcomes = await oneByOne(writes);
      opts.beforePublish?.();
      published = held.publish();
      idx.db.exec(published ? 'COMMIT' : 'ROLLBACK');
      if (published) return outcomes;
    } finally {
      held?.drop();
      if (idx.db.inTransaction) idx.db.exec('ROLLBACK');
      if (!published) await ensureFresh(idx);
    }
    return oneByOne(writes);
  });
}
