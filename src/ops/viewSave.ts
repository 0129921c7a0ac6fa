import { z } from 'zod';
import { stringify } from 'yaml';
import { TackError } from '../model/errors.js';
import { storeHead } from '../store/store.js';
import { readStoreFile } from '../store/storeReader.js';
import { commitWrite } from './mutate.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { parseViewFilters, viewFilters, viewName, viewPath } from './viewShared.js';

export default defineOp({
  name: 'view-save',
  summary: 'Save a view (a named set of list filters) as views/<name>.yaml in the store, one commit',
  kind: 'write',
  cli: { args: ['name'] },
  input: z.object({
    name: viewName,
    filter: viewFilters.optional(),
    description: z.string().optional().describe('what the view is for'),
  }),
  output: lazyShape(() =>
    z.strictObject({
      name: z.string(),
      path: z.string(),
      filters: z.record(z.string(), z.string()),
      changed: z.boolean(),
      commit: z.string().nullable(),
    }),
  ),
  async run(ctx, input) {
    const path = viewPath(input.name);
    const filters = parseViewFilters(input.filter ?? []);
    const content = stringify({
      name: input.name,
      ...(input.description ? { description: input.description } : {}),
      filters,
    });
    if (content.length > 64 * 1024)
      throw new TackError(
        'invalid_input',
        `view ${input.name} is ${content.length} bytes; expected at most 64 KiB of filters`,
      );
    const store = ctx.store();
    await ctx.index();
    const head = storeHead(store);
    const before = head ? readStoreFile(store, head, path) : null;
    if (before === content) return { name: input.name, path, filters, changed: false, commit: null };
    const res = await commitWrite(ctx, () => ({
      changeSet: {
        changes: [{ path, content }],
        subject: `${before === null ? 'add' : 'update'} view ${input.name}`,
        trailers: [
          ['Tack-Op', 'view-save'],
          ['Tack-View', input.name],
        ],
      },
      value: null,
    }));
    return { name: input.name, path, filters, changed: true, commit: res.commit };
  },
});
