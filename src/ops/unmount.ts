import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { removeWorktree, worktreeChanges } from '../git/worktrees.js';
import { rebuildIndex } from '../index/rebuildIndex.js';
import { mountPresent } from '../store/mount.js';
import { readSettings, writeSettings } from '../store/store.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

/** `tack unmount`: remove the mount's worktree; uncommitted edits there are never dropped silently. */
export default defineOp({
  name: 'unmount',
  summary: 'Remove the worktree made by tack mount (refuses while it holds uncommitted edits, unless --force)',
  kind: 'write',
  localOnly: true, // worktrees on this machine's disk
  input: z.object({
    force: z.boolean().optional().describe('remove it even with uncommitted edits (they are lost)'),
  }),
  output: lazyShape(() =>
    z.strictObject({ mount: z.string().nullable(), dropped: z.array(z.string()), message: z.string() }),
  ),
  async run(ctx, input) {
    const store = ctx.store();
    const settings = readSettings(store.repo);
    const dir = settings?.mount;
    if (!settings || !dir) throw new TackError('not_found', 'the store is not mounted; nothing to unmount');
    const present = mountPresent(dir);
    const pending = present ? worktreeChanges(dir) : [];
    if (pending.length && !input.force) {
      throw new TackError(
        'conflict',
        `${dir} holds uncommitted edits (${pending.join(', ')}); commit them with \`tack commit\`, or pass --force to drop them`,
        { mount: dir, paths: pending },
      );
    }
    if (present) removeWorktree(store.repo, dir, !!input.force);
    const { mount: _gone, ...rest } = settings;
    writeSettings(store.repo, rest);
    // The index overlaid the dropped edits: rebuild it from git alone.
    if (pending.length) rebuildIndex({ ...store, filesDir: null });
    return {
      mount: dir,
      dropped: pending,
      message: `unmounted ${dir}${pending.length ? ` (dropped edits to ${pending.join(', ')})` : ''}`,
    };
  },
});
