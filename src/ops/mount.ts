import { join, resolve } from 'node:path';
import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { addWorktree } from '../git/worktrees.js';
import { mountPresent } from '../store/mount.js';
import { readSettings, tackDir, writeSettings } from '../store/store.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

/**
 * `tack mount [DIR]`: check the store branch out as a git worktree, so the tickets and
 * docs can be edited in any editor. The branch itself is checked out (not a detached
 * head), so the edits are on it; Tack keeps the worktree in step when it writes.
 */
export default defineOp({
  name: 'mount',
  summary: 'Check the store branch out as a git worktree for editing by hand (default: under the git dir)',
  kind: 'write',
  localOnly: true, // worktrees on this machine's disk
  cli: { args: ['dir'] },
  input: z.object({
    dir: z
      .string()
      .min(1)
      .optional()
      .describe('folder to check the store out to (default: <git common dir>/tack/mount)'),
  }),
  output: lazyShape(() => z.strictObject({ mount: z.string(), branch: z.string().optional(), message: z.string() })),
  async run(ctx, input) {
    const store = ctx.store();
    if (store.mode !== 'branch' || store.plan) {
      throw new TackError(
        'invalid_input',
        `tack mount checks out a branch-mode store; this store is ${store.plan ? `the plan branch ${store.plan}` : 'inline (its files are already in .tack/)'}`,
      );
    }
    const dir = resolve(ctx.cwd, input.dir ?? join(tackDir(store.repo), 'mount'));
    const settings = readSettings(store.repo) ?? { mode: 'branch' as const };
    if (settings.mount && mountPresent(settings.mount)) {
      if (settings.mount === dir) return { mount: dir, message: `already mounted at ${dir}` };
      throw new TackError(
        'already_exists',
        `the store is already mounted at ${settings.mount}; expected one mount (run \`tack unmount\` first)`,
        { mount: settings.mount },
      );
    }
    const branch = store.ref.replace(/^refs\/heads\//, '');
    addWorktree(store.repo, dir, branch);
    writeSettings(store.repo, { ...settings, mount: dir });
    return {
      mount: dir,
      branch,
      message: `mounted ${branch} at ${dir}; edits there are seen at once and committed by \`tack commit\` (or \`tack watch\`)`,
    };
  },
});
