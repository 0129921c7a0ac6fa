import { readSettings } from '../store/store.js';
import { commitHandEdits } from '../ops/handEdits.js';
import type { OpContext } from '../ops/op.js';
import type { ChangeFeed } from './changeFeed.js';
import type { EventLog } from './events.js';

/**
 * Commits hand edits of checked-out store files (inline `.tack/` or a mount) once they
 * have been quiet for `idleMs`: one commit with every valid edited file (the rule lives
 * in ops/handEdits.ts, shared with `tack commit`). A file that does not validate stays
 * as the user left it, uncommitted, and is reported as a `problem` event.
 */
export class IdleCommitter {
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> | null = null;

  constructor(
    private readonly ctx: OpContext,
    private readonly feed: ChangeFeed,
    private readonly log: EventLog,
    private readonly idleMs: number,
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
    if (this.timer) clearTimeout(this.timer);
    await this.busy;
  }

  async commitNow(): Promise<string | null> {
    const store = this.ctx.store();
    if (!store.filesDir || (readSettings(store.repo)?.commit ?? 'auto') !== 'auto') return null;
    await this.feed.check();
    const res = await commitHandEdits(this.ctx);
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
