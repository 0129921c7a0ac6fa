import type { z } from 'zod';
import type { handEditCommitShape } from '../model/workShapes.js';
import { fileProblem, uncommittedFiles } from '../index/eventQueries.js';
import type { DB } from '../index/indexDb.js';
import { parseSchemaText, readStoreFile } from '../store/storeReader.js';
import { idFromTicketPath, type Store } from '../store/store.js';
import { commitWrite } from './mutate.js';
import type { OpContext } from './op.js';

export type HandEditProblem = HandEditCommit['problems'][number];

export type HandEditCommit = z.infer<ReturnType<typeof handEditCommitShape>>;

/** Can this checked-out file be committed as it is? Null when yes, else the problem. */
function problemOf(db: DB, store: Store, path: string): string | null {
  if (path === 'schema.yaml') {
    try {
      const text = readStoreFile(store, null, path);
      if (text === null) return `${path}: the file is gone`;
      parseSchemaText(text, path);
      return null;
    } catch (e) {
      return `${path}: ${(e as Error).message}`;
    }
  }
  return fileProblem(db, path);
}

/**
 * Commit the hand edits of the checked-out store files (inline `.tack/` or a mount) as
 * one commit, `Tack-Op: edit`. Used by `tack commit`, `tack watch` and the server's idle
 * committer, so there is one rule for what gets committed: every edited file that
 * validates; a file that does not is reported and stays uncommitted.
 */
export async function commitHandEdits(ctx: OpContext): Promise<HandEditCommit> {
  const store = ctx.store();
  if (!store.filesDir) return { commit: null, committed: [], problems: [] };
  // Nothing to commit (no edit, or only edits that do not validate): the lock is not taken.
  const first = handEditPlan((await ctx.index()).db, store);
  if (first.paths.length === 0) return { commit: null, committed: [], problems: first.problems };
  // What to commit is decided again under the writer lock, with the index caught up to the
  // head and the files: a Tack write between its commit and its file writes looks like a
  // hand edit (a new doc not yet on disk, a "removed" file) that is gone once it finishes.
  const res = await commitWrite(ctx, (_head, idx) => {
    const plan = handEditPlan(idx.db, store);
    const ids = plan.paths.map(idFromTicketPath).filter((x): x is string => !!x);
    return {
      changeSet: {
        changes: plan.paths.map((p) => ({
          path: p,
          content: plan.good.includes(p) ? readStoreFile(store, null, p) : null,
        })),
        subject: ids.length ? `edit ${ids.join(', ')} by hand` : `edit ${plan.paths.join(', ')} by hand`,
        trailers: [['Tack-Op', 'edit'], ...ids.map((id) => ['Tack-Ticket', id] as [string, string])],
      },
      value: plan,
    };
  });
  const { paths, problems } = res.value;
  return { commit: res.commit, committed: res.commit ? paths.map((p) => `${store.prefix}${p}`) : [], problems };
}

/** The edited files that validate (good), those removed, and the problems of the rest. */
function handEditPlan(db: DB, store: Store): { good: string[]; paths: string[]; problems: HandEditProblem[] } {
  const { changed, removed } = uncommittedFiles(db);
  const good: string[] = [];
  const problems: HandEditProblem[] = [];
  for (const path of changed) {
    const problem = problemOf(db, store, path);
    if (problem) problems.push({ path: `${store.prefix}${path}`, ticket: idFromTicketPath(path), message: problem });
    else good.push(path);
  }
  return { good, paths: [...good, ...removed], problems };
}
