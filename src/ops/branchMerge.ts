import { z } from 'zod';
import { formatMessage } from '../git/log.js';
import { baseStore, branchNameArg, requirePlan } from './branchShared.js';
import { withProvenance } from '../store/storeProvenance.js';
import { mergeInto } from './mergeInto.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

export default defineOp({
  name: 'branch-merge',
  summary: 'Bring a plan branch back into the store with the merge function (no conflict markers)',
  kind: 'write',
  cli: { args: ['name'] },
  input: z.object({ name: branchNameArg }),
  output: lazyShape(() =>
    z.strictObject({
      name: z.string(),
      commit: z.string().nullable(),
      fastForward: z.boolean(),
      upToDate: z.boolean(),
      merged: z.number(),
      conflicts: z.number(),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    const store = baseStore(ctx.store());
    const plan = requirePlan(store, input.name);
    const res = mergeInto(store, plan.head, (m) =>
      formatMessage(
        `tack: merge plan ${input.name}`,
        withProvenance(store, [
          ['Tack-Op', 'branch-merge'],
          ['Tack-Branch', input.name],
          ...m.conflicts.flatMap((f) =>
            f.conflicts.map(
              (c) =>
                [
                  'Tack-Conflict',
                  `${f.path}: ${c.field} kept from ${c.keptSide === 'ours' ? 'the store' : input.name}`,
                ] as [string, string],
            ),
          ),
        ]),
        m.merged.length ? `Merged: ${m.merged.join(', ')}` : '',
      ),
    );
    await ctx.index();
    const conflicts = res.conflicts.reduce((n, f) => n + f.conflicts.length, 0);
    const how = res.upToDate
      ? 'already contained'
      : res.fastForward
        ? 'fast-forward'
        : `merged ${res.merged.length} file(s)${conflicts ? `, ${conflicts} conflict(s) resolved (see \`tack conflicts\`)` : ''}`;
    return {
      name: input.name,
      commit: res.commit,
      fastForward: res.fastForward,
      upToDate: res.upToDate,
      merged: res.merged.length,
      conflicts,
      message: `plan ${input.name}: ${how}`,
    };
  },
});
