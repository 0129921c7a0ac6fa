import { z } from 'zod';
import { readRef } from '../git/refs.js';
import { worktreeChanges } from '../git/worktrees.js';
import { fetchBranch } from '../git/refExchange.js';
import { countCommits, countNotOnRemote, pendingPaths, trackingRef } from '../git/remote.js';
import { storeHead } from '../store/store.js';
import { listConflicts } from '../index/conflictQueries.js';
import { branchName, chooseRemote } from './syncShared.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

/** Where the store stands against its remote; never "in sync" while anything is unpushed. */
export default defineOp({
  name: 'status',
  summary: "Show the store's state: commits ahead of / behind the remote, uncommitted edits, open merge conflicts",
  kind: 'read',
  cli: { args: ['remote'] },
  postOnly: ['fetch'],
  input: z.object({
    remote: z
      .string()
      .min(1)
      .optional()
      .describe(
        "remote to compare with: a configured remote's name (default: git config tack.remote, origin, or the first remote)",
      ),
    fetch: z.boolean().optional().describe('fetch from the remote first (otherwise: as of the last fetch or sync)'),
  }),
  output: lazyShape(() =>
    z.strictObject({
      mode: z.enum(['branch', 'inline']),
      ref: z.string(),
      head: z.string().nullable(),
      remote: z.string().nullable(),
      tracking: z.string().nullable(),
      ahead: z.number(),
      behind: z.number(),
      pending: z.array(z.string()),
      conflicts: z.number(),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    const store = ctx.store();
    const head = storeHead(store);
    const remote = chooseRemote(store, input.remote);
    const branch = store.mode === 'inline' ? null : branchName(store);
    let tracking: string | null = null;
    if (remote && branch) {
      if (input.fetch) fetchBranch(store.repo, remote, branch);
      tracking = readRef(store.repo, trackingRef(remote, branch));
    }
    const ahead =
      head && tracking
        ? countCommits(store.repo, tracking, head)
        : head && remote && branch
          ? countNotOnRemote(store.repo, head, remote)
          : 0;
    const behind = head && tracking ? countCommits(store.repo, head, tracking) : 0;
    // Inline: what git status says of .tack/; a mounted branch: of the mount.
    const pending =
      store.mode === 'inline'
        ? pendingPaths(store.repo, store.prefix)
        : store.filesDir
          ? worktreeChanges(store.filesDir)
          : [];
    const conflicts = listConflicts((await ctx.index()).db).length;
    return {
      mode: store.mode,
      ref: store.ref,
      head,
      remote,
      tracking: tracking ? trackingRef(remote!, branch!) : null,
      ahead,
      behind,
      pending,
      conflicts,
      message: describe({ mode: store.mode, remote, tracking, branch, ahead, behind, pending, conflicts }),
    };
  },
});

function describe(s: {
  mode: string;
  remote: string | null;
  tracking: string | null;
  branch: string | null;
  ahead: number;
  behind: number;
  pending: string[];
  conflicts: number;
}): string {
  const parts: string[] = [];
  if (s.mode === 'inline') parts.push('inline mode: sync with git pull / git push');
  else if (!s.remote) parts.push('no remote: local only');
  else if (!s.tracking)
    parts.push(`${s.remote}/${s.branch} not fetched yet: ${s.ahead} commit(s) not pushed (run \`tack sync\`)`);
  else if (s.ahead === 0 && s.behind === 0) parts.push(`in sync with ${s.remote}/${s.branch} (as of the last fetch)`);
  else parts.push(`${s.ahead} commit(s) ahead of ${s.remote}/${s.branch}, ${s.behind} behind (run \`tack sync\`)`);
  if (s.pending.length) parts.push(`${s.pending.length} uncommitted store file(s): ${s.pending.join(', ')}`);
  if (s.conflicts) parts.push(`${s.conflicts} ticket(s) with merge conflicts (see \`tack conflicts\`)`);
  return parts.join('\n');
}
