import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { storeHead } from '../store/store.js';
import { readStoreFile } from '../store/storeReader.js';
import { commitWrite } from './mutate.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { viewName, viewPath } from './viewShared.js';

export default defineOp({
  name: 'view-delete',
  summary: 'Delete a saved view (views/<name>.yaml), one commit',
  kind: 'write',
  cli: { args: ['name'] },
  input: z.object({ name: viewName }),
  output: lazyShape(() =>
    z.strictObject({ name: z.string(), path: z.string(), deleted: z.boolean(), commit: z.string().nullable() }),
  ),
  async run(ctx, input) {
    const path = viewPath(input.name);
    const store = ctx.store();
    await ctx.index();
    const head = storeHead(store);
    if (!head || readStoreFile(store, head, path) === null)
      throw new TackError('not_found', `no saved view "${input.name}" (${path}); see \`tack view list\``, {
        name: input.name,
      });
    const res = await commitWrite(ctx, () => ({
      changeSet: {
        changes: [{ path, content: null }],
        subject: `delete view ${input.name}`,
        trailers: [
          ['Tack-Op', 'view-delete'],
          ['Tack-View', input.name],
        ],
      },
      value: null,
    }));
    return { name: input.name, path, deleted: true, commit: res.commit };
  },
});
