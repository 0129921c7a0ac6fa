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
  const idx = await ctx.index();
  const { changed, removed } = uncommittedFiles(idx.db);
  const good: string[] = [];
  const problems: HandEditProblem[] = [];
  for (const path of changed) {
    const problem = problemOf(idx.db, store, path);
    if (problem) problems.push({ path: `${store.prefix}${path}`, ticket: idFromTicketPath(path), message: problem });
    else good.push(path);
  }
  const paths = [...good, ...removed];
  if (paths.length === 0) return { commit: null, committed: [], problems };
  const ids = paths.map(idFromTicketPath).filter((x): x is string => !!x);
  const res = await commitWrite(ctx, () => ({
    changeSet: {
      changes: paths.map((p) => ({ path: p, content: good.includes(p) ? readStoreFile(store, null, p) : null })),
      subject: ids.length ? `edit ${ids.join(', ')} by hand` : `edit ${paths.join(', ')} by hand`,
      trailers: [['Tack-Op', 'edit'], ...ids.map((id) => ['Tack-Ticket', id] as [string, string])],
    },
    value: null,
  }));
  return { commit: res.commit, committed: paths.map((p) => `${store.prefix}${p}`), problems };
}
