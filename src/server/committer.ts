import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileProblem, uncommittedFiles } from '../index/eventQueries.js';
import type { DB } from '../index/indexDb.js';
import { parseSchemaText } from '../store/storeReader.js';
import { commitChange } from '../store/storeWriter.js';
import { idFromTicketPath, readSettings } from '../store/store.js';
import type { OpContext } from '../ops/op.js';
import type { ChangeFeed } from './changeFeed.js';
import type { EventLog } from './events.js';

/** Can this checked-out file be committed as it is? Null when yes, else the problem. */
function problemOf(db: DB, dir: string, path: string): string | null {
  if (path === 'schema.yaml') {
    try {
      parseSchemaText(readFileSync(join(dir, path), 'utf8'), path);
      return null;
    } catch (e) {
      return `${path}: ${(e as Error).message}`;
    }
  }
  return fileProblem(db, path);
}

/**
 * Commits hand edits of checked-out store files once they have been quiet for `idleMs`:
 * one commit with every valid edited file. A file that does not validate stays as the
 * user left it, uncommitted, and is reported as a `problem` event.
 */
export class IdleCommitter {
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> | null = null;

  constructor(private readonly ctx: OpContext, private readonly feed: ChangeFeed, private readonly log: EventLog, private readonly idleMs: number) {}

  /** A file changed: (re)start the idle countdown. */
  touch(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.busy = this.commitNow().then(() => undefined, (e) => {
        this.log.emit({ type: 'problem', ticket: null, commit: null, fields: [], message: `could not commit hand edits: ${(e as Error).message}` });
      }).finally(() => {
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
    const dir = store.filesDir;
    if (!dir || (readSettings(store.repo)?.commit ?? 'auto') !== 'auto') return null;
    await this.feed.check();
    const idx = await this.ctx.index();
    const { changed, removed } = uncommittedFiles(idx.db);
    const good: string[] = [];
    for (const path of changed) {
      const problem = problemOf(idx.db, dir, path);
      if (problem) this.log.emit({ type: 'problem', ticket: idFromTicketPath(path), commit: null, fields: [], uncommitted: true, message: `not committed: ${problem}` });
      else good.push(path);
    }
    const paths = [...good, ...removed];
    if (paths.length === 0) return null;
    const ids = paths.map(idFromTicketPath).filter((x): x is string => !!x);
    const res = commitChange(store, () => ({
      changeSet: {
        changes: paths.map((p) => ({ path: p, content: good.includes(p) ? readFileSync(join(dir, p), 'utf8') : null })),
        subject: ids.length ? `edit ${ids.join(', ')} by hand` : `edit ${paths.join(', ')} by hand`,
        trailers: [['Tack-Op', 'edit'], ...ids.map((id) => ['Tack-Ticket', id] as [string, string])],
      },
      value: null,
    }));
    await this.feed.check();
    return res.commit;
  }
}
