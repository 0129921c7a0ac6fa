import { z } from 'zod';
import { countCommits } from '../git/remote.js';
import { storeHead } from '../store/store.js';
import { baseStore, listPlans } from './branchShared.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

export default defineOp({
  name: 'branch-list',
  summary: "List plan branches (alternative plans, each a git branch next to the store's)",
  kind: 'read',
  input: z.object({}),
  output: lazyShape(() =>
    z.array(
      z.strictObject({ name: z.string(), ref: z.string(), head: z.string(), ahead: z.number(), behind: z.number() }),
    ),
  ),
  async run(ctx) {
    const store = baseStore(ctx.store());
    const head = storeHead(store)!;
    return listPlans(store).map((p) => ({
      ...p,
      ahead: countCommits(store.repo, head, p.head),
      behind: countCommits(store.repo, p.head, head),
    }));
  },
});
