import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { casRef, requireRev } from '../git/refs.js';
import { planRef, storeHead } from '../store/store.js';
import { baseStore, branchNameArg } from './branchShared.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

export default defineOp({
  name: 'branch-create',
  summary: 'Start a plan branch from now, or from any past state (--from REV); work on it with --branch NAME',
  kind: 'write',
  cli: { args: ['name'] },
  input: z.object({
    name: branchNameArg,
    from: z.string().min(1).optional().describe('revision to start from (default: the store now), e.g. tack~5'),
  }),
  output: lazyShape(() => z.strictObject({ name: z.string(), ref: z.string(), head: z.string(), message: z.string() })),
  async run(ctx, input) {
    const store = baseStore(ctx.store());
    const start = input.from ? requireRev(store.repo, input.from) : storeHead(store)!;
    const ref = planRef(store.ref, input.name);
    if (!casRef(store.repo, ref, start, null, `tack: branch ${input.name}`)) {
      throw new TackError(
        'already_exists',
        `plan branch "${input.name}" already exists (${ref}); expected a new name`,
        { branch: input.name },
      );
    }
    return {
      name: input.name,
      ref,
      head: start,
      message: `created plan branch ${input.name} at ${start.slice(0, 8)}; use \`tack --branch ${input.name} …\`, then \`tack branch merge ${input.name}\``,
    };
  },
});
