import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { deleteRef } from '../git/branchRefs.js';
import { removeIndexFiles } from '../index/rebuildIndex.js';
import { baseStore, branchNameArg, requirePlan } from './branchShared.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

export default defineOp({
  name: 'branch-delete',
  summary: 'Delete a plan branch (its commits stay reachable from the reflog and from any merge)',
  kind: 'write',
  cli: { args: ['name'] },
  input: z.object({ name: branchNameArg }),
  output: lazyShape(() => z.strictObject({ name: z.string(), head: z.string(), message: z.string() })),
  async run(ctx, input) {
    const store = baseStore(ctx.store());
    const plan = requirePlan(store, input.name);
    if (!deleteRef(store.repo, plan.ref, plan.head)) {
      throw new TackError('conflict', `plan branch "${input.name}" moved while deleting; run the command again`, {
        branch: input.name,
      });
    }
    removeIndexFiles({ ...store, ref: plan.ref, plan: input.name, filesDir: null });
    return {
      name: input.name,
      head: plan.head,
      message: `deleted plan branch ${input.name} (was ${plan.head.slice(0, 8)})`,
    };
  },
});
