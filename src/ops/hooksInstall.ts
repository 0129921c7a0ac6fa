import { resolve } from 'node:path';
import { z } from 'zod';
import { HOOK_NAMES } from '../model/hookScript.js';
import { discoverRepo } from '../git/repo.js';
import { hooksDir, installHook } from '../git/hookFiles.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { hookChangeShape } from '../model/settingsShapes.js';
import { tackDir } from '../store/store.js';

/**
 * Install the git hooks that link commits to tickets (`tack commits scan` after every
 * commit, merge, rewrite and branch checkout). A hook already there is kept and run
 * first, with its exit status; running this again only refreshes Tack's hooks.
 */
export default defineOp({
  name: 'hooks-install',
  summary: 'Install git hooks that link commits to the tickets they mention (keeps and runs existing hooks)',
  kind: 'write',
  localOnly: true, // this clone's git hooks
  input: z.object({}),
  output: lazyShape(() =>
    z.strictObject({ dir: z.string(), bin: z.string(), hooks: z.array(hookChangeShape()), message: z.string() }),
  ),
  async run(ctx) {
    const repo = discoverRepo(ctx.cwd);
    const dir = hooksDir(repo);
    // The hooks call the CLI that installed them while it exists, else `tack` on PATH.
    const { node, script } = ctx.effects.tack;
    const bin = resolve(script ?? 'tack');
    const hooks = HOOK_NAMES.map((name) => installHook(dir, name, node, bin, tackDir(repo)));
    const foreign = hooks.filter((h) => h.action === 'foreign').map((h) => h.name);
    const message =
      `git hooks in ${dir}: ${hooks.map((h) => `${h.name} ${h.action}${h.chained && h.action !== 'foreign' ? ' (runs your hook first)' : ''}`).join(', ')}` +
      (foreign.length
        ? `; left alone: ${foreign.join(', ')} (a .pre-tack file from an earlier install is in the way: move it back by hand)`
        : '') +
      '; commits mentioning tickets are now linked (log: .git/tack/hooks.log), and a commit of paths someone else reserved warns (or is refused: tack config agents.reservations refuse)';
    return { dir, bin, hooks, message };
  },
});
