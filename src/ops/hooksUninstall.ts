import { z } from 'zod';
import { HOOK_NAMES } from '../model/hookScript.js';
import { discoverRepo } from '../git/repo.js';
import { hooksDir, uninstallHook } from '../git/hookFiles.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { hookChangeShape } from '../model/settingsShapes.js';

/** Remove Tack's git hooks and put back the hooks they replaced. */
export default defineOp({
  name: 'hooks-uninstall',
  summary: 'Remove the git hooks `tack hooks install` added, restoring the hooks they replaced',
  kind: 'write',
  localOnly: true, // this clone's git hooks
  input: z.object({}),
  output: lazyShape(() => z.strictObject({ dir: z.string(), hooks: z.array(hookChangeShape()), message: z.string() })),
  async run(ctx) {
    const dir = hooksDir(discoverRepo(ctx.cwd));
    const hooks = HOOK_NAMES.map((name) => uninstallHook(dir, name));
    const done = hooks.filter((h) => h.action === 'removed' || h.action === 'restored');
    const message = done.length
      ? `git hooks in ${dir}: ${done.map((h) => `${h.name} ${h.action}`).join(', ')}`
      : `no Tack hooks in ${dir}; nothing changed`;
    return { dir, hooks, message };
  },
});
