import { z } from 'zod';
import { configureDriver, currentAttributes, registeredThisRun, withAttributes } from './mergeDriver.js';
import { commitWrite } from './mutate.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

/**
 * Per-clone setup that git does not clone: the merge driver's config. Also adds the
 * `.gitattributes` lines if the store lacks them (stores made before the driver existed).
 * Idempotent: a second run changes nothing.
 */
export default defineOp({
  name: 'setup',
  summary: 'Register the Tack merge driver in this clone (git config is not cloned); safe to repeat',
  kind: 'write',
  localOnly: true, // this clone's git config
  input: z.object({}),
  output: lazyShape(() =>
    z.strictObject({
      configured: z.boolean(),
      attributes: z.boolean(),
      commit: z.string().nullable(),
      message: z.string(),
    }),
  ),
  async run(ctx) {
    const store = ctx.store();
    // The context may have registered it a moment ago (every command does in a clone without it).
    const configured = configureDriver(store.repo, ctx.effects.tack) || registeredThisRun(store.repo);
    const treePrefix = store.mode === 'inline' ? store.prefix : '';
    let commit: string | null = null;
    const next = withAttributes(currentAttributes(store), treePrefix);
    if (next !== null) {
      // .gitattributes sits at the root of the tree: outside .tack/ in inline mode.
      const res = await commitWrite(
        ctx,
        () => ({
          changeSet: {
            changes: [
              { path: '.gitattributes', content: withAttributes(currentAttributes(store), treePrefix) ?? next },
            ],
            subject: 'tack: register the merge driver',
            trailers: [['Tack-Op', 'setup']],
          },
          value: null,
        }),
        { treeRoot: true },
      );
      commit = res.commit;
    }
    const did = [
      configured ? 'registered merge.tack.driver in .git/config' : null,
      next !== null ? 'added the merge driver to .gitattributes' : null,
    ].filter(Boolean);
    return {
      configured,
      attributes: next !== null,
      commit,
      message: did.length
        ? `${did.join('; ')}: git merge, pull, rebase and cherry-pick now merge tickets without conflicts`
        : 'the merge driver is already set up; nothing changed',
    };
  },
});
