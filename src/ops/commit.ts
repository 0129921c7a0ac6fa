import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { commitHandEdits } from './handEdits.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { handEditCommitShape } from '../model/workShapes.js';

/** `tack commit`: commit the hand edits of the checked-out files (a mount or `.tack/`) now. */
export default defineOp({
  name: 'commit',
  summary:
    'Commit hand edits of the mounted (or inline .tack/) files now; invalid files are reported and left uncommitted',
  kind: 'write',
  input: z.object({}),
  output: lazyShape(() => handEditCommitShape().extend({ message: z.string() })),
  async run(ctx) {
    const store = ctx.store();
    if (!store.filesDir) {
      return {
        commit: null,
        committed: [],
        problems: [],
        message: 'nothing is checked out: the store branch is not mounted (see `tack mount`)',
      };
    }
    const res = await commitHandEdits(ctx);
    // Inline stores with `commit: stage|off` write (and stage) without committing.
    const done = res.commit
      ? `committed ${res.committed.length} file(s) in ${res.commit.slice(0, 8)}: ${res.committed.join(', ')}`
      : res.committed.length
        ? `recorded ${res.committed.join(', ')} without a commit (inline commit policy)`
        : 'nothing committed';
    if (res.problems.length) {
      // The valid files are committed; the broken ones make the command fail, so scripts notice.
      throw new TackError(
        'check_failed',
        `${done}; not committed (fix and run \`tack commit\` again):\n  ${res.problems.map((p) => p.message).join('\n  ')}`,
        { commit: res.commit, committed: res.committed, problems: res.problems },
      );
    }
    return { ...res, message: res.committed.length ? done : 'no uncommitted edits' };
  },
});
