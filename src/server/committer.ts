import { readSettings } from '../store/store.js';
import { isTackError } from '../model/errors.js';
import { commitHandEdits, type HandEditCommit } from '../ops/handEdits.js';
import { handEditCommitShape } from '../model/workShapes.js';
import commitOp from '../ops/commit.js';
import type { OpContext } from '../ops/op.js';
import { runWriteInWorker } from './remoteOps.js';
import type { ChangeFeed } from './changeFeed.js';
import type { EventLog } from './events.js';

/**
 * Commits hand edits of checked-out store files (inline `.tack/` or a mount) once they
 * have been quiet for `idleMs`: one commit with every valid edited file (the rule lives
 * in ops/handEdits.ts, shared with `tack commit`). A file that does not validate stays
 * as the user left it, uncommitted, and is reported as a `problem` event.
 */
export class IdleCommitter {
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> | null = null;

  constructor(
    private readonly ctx: OpContext,
    private readonly feed: ChangeFeed,
    private readonly log: EventLog,
    private readonly idleMs: number,
    /** How the edits are committed: here by default (`tack watch`), in the write lane by the server. */
    private readonly commit: (ctx: OpContext) => Promise<HandEditCommit> = commitHandEdits,
  ) {}

  /** A file changed: (re)start the idle countdown. */
  touch(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.busy = this.commitNow()
        .then(
          () => undefined,
          (e) => {
            this.log.emit({
              type: 'problem',
              ticket: null,
              commit: null,
              fields: [],
              message: `could not commit hand edits: ${(e as Error).message}`,
            });
          },
        )
        .finally(() => {
          this.busy = null;
        });
    }, this.idleMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.busy;
  }

  async commitNow(): Promise<string | null> {
    const store = this.ctx.store();
    if (!store.filesDir || (readSettings(store.repo)?.commit ?? 'auto') !== 'auto') return null;
    await this.feed.check();
    // Stopping: no new commit (the server's write lane may be gone; a new one would outlive it).
    if (this.stopped) return null;
    const res = await this.commit(this.ctx);
    for (const p of res.problems) {
      this.log.emit({
        type: 'problem',
        ticket: p.ticket,
        commit: null,
        fields: [],
        uncommitted: true,
        message: `not committed: ${p.message}`,
      });
    }
    if (res.commit) await this.feed.check();
    return res.commit;
  }
}

/**
 * The `commit` operation run by the server's write lane: its git work and lock waits off the
 * event loop, one commit in turn with the API's writes. Files that do not validate make the
 * operation fail with `check_failed`, whose details carry what was committed and the problems.
 */
export function handEditsInWorker(cwd: string, branch?: string): () => Promise<HandEditCommit> {
  return async () => {
    try {
      const res = commitOp.output().parse(await runWriteInWorker({ cwd, branch, name: 'commit', input: {} }));
      return { commit: res.commit, committed: res.committed, problems: res.problems };
    } catch (e) {
      // Any other check_failed (or details of another shape) is a failure, not a partial commit.
      const partial = isTackError(e) && e.code === 'check_failed' ? handEditCommitShape().safeParse(e.details) : null;
      if (partial?.success) return partial.data;
      throw e;
    }
  };
}
