import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { parseTicketFile, serializeTicketFile, setField } from '../model/ticketCodec.js';
import type { FileChange } from '../git/commitWriter.js';
import { logWithChanges, formatMessage } from '../git/log.js';
import { withProvenance } from '../store/storeProvenance.js';
import { writeMergeCommit } from '../git/mergeCommit.js';
import { isAncestor, requireRev } from '../git/refs.js';
import { idFromTicketPath, readSettings, storeHead, type Store } from '../store/store.js';
import { spoolCommit } from '../store/triggerSpool.js';
import { mergeTrees } from '../store/storeMerge.js';
import { updateMount } from '../store/mount.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

/**
 * Undo a Tack change as a new commit, like `git revert`: the change's inverse (its
 * parent's files) merged onto the current head with the merge function, so later edits
 * to other fields survive and edits to the same field are kept as conflict records.
 */
export default defineOp({
  name: 'revert',
  summary: 'Undo a Tack commit as a new commit (later edits are kept; clashes become conflict records)',
  kind: 'write',
  cli: { args: ['commit'] },
  input: z.object({ commit: z.string().min(1).describe('the commit to undo (sha, tack~2, …)') }),
  output: lazyShape(() =>
    z.strictObject({
      commit: z.string().nullable(),
      reverted: z.string(),
      tickets: z.array(z.string()),
      conflicts: z.number(),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    const store = ctx.store();
    if (store.mode === 'inline') {
      throw new TackError(
        'invalid_input',
        'inline mode: tickets ride in your code commits, so undo with `git revert COMMIT` (the merge driver merges ticket files); expected a branch-mode store',
      );
    }
    const target = requireRev(store.repo, input.commit);
    const info = logWithChanges(store.repo, `${target}^!`)[0];
    const head = storeHead(store)!;
    if (!isAncestor(store.repo, target, head)) {
      throw new TackError(
        'invalid_input',
        `${input.commit} (${target.slice(0, 8)}) is not in the history of ${store.ref}; expected one of its commits (see \`git log ${store.ref.replace('refs/heads/', '')}\`)`,
        { commit: target },
      );
    }
    const parent = info.parents[0];
    if (!parent)
      throw new TackError(
        'invalid_input',
        `${target.slice(0, 8)} creates the store; there is nothing before it to go back to`,
        { commit: target },
      );
    const now = ctx.now();
    for (let attempt = 0; attempt < 20; attempt++) {
      const ours = storeHead(store)!;
      const m = mergeTrees(store.repo, target, ours, parent, store.prefix);
      const changes = m.changes.map((c) => touch(store, c, now));
      const ids = changes.map((c) => idFromTicketPath(c.path)).filter((x): x is string => x !== null);
      const subject = info.message.split('\n', 1)[0];
      const message = formatMessage(
        `revert ${target.slice(0, 8)}: ${subject}`,
        withProvenance(store, [
          ['Tack-Op', 'revert'],
          ['Tack-Reverts', target],
          ...ids.map((id) => ['Tack-Ticket', id] as [string, string]),
        ]),
      );
      if (changes.length === 0)
        return {
          commit: null,
          reverted: target,
          tickets: [],
          conflicts: 0,
          message: `nothing to undo: the changes of ${target.slice(0, 8)} are already gone`,
        };
      const settings = readSettings(store.repo);
      const commit = writeMergeCommit(store.repo, {
        ref: store.ref,
        ours,
        others: [],
        changes,
        message,
        date: process.env.TACK_NOW,
        sign: settings?.sign === true,
      });
      if (!commit) continue;
      updateMount(store, ours, commit);
      spoolCommit(store, settings, commit);
      await ctx.index();
      const conflicts = m.conflicts.reduce((n, f) => n + f.conflicts.length, 0);
      return {
        commit,
        reverted: target,
        tickets: ids,
        conflicts,
        message: `reverted ${target.slice(0, 8)} (${subject}) in ${commit.slice(0, 8)}${conflicts ? `; ${conflicts} later edit(s) kept, the undone values recorded (see \`tack conflicts\`)` : ''}`,
      };
    }
    throw new TackError('conflict', `${store.ref} kept moving while reverting; run the command again`);
  },
});

/** A reverted ticket is changed now: its `updated` says so. */
function touch(store: Store, c: FileChange, now: string): FileChange {
  if (typeof c.content !== 'string' || idFromTicketPath(c.path.slice(store.prefix.length)) === null) return c;
  try {
    const file = parseTicketFile(c.content, c.path);
    setField(file, 'updated', now);
    return { path: c.path, content: serializeTicketFile(file) };
  } catch {
    return c;
  }
}
