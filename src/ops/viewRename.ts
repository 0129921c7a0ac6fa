import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { readStoreFile } from '../store/storeReader.js';
import { commitWrite } from './mutate.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { viewName, viewPath } from './viewShared.js';

/** A view's text with its `name` set to `name`; any other text is kept as it was. */
function renamed(text: string, from: string, name: string): string {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new TackError('parse_error', `view ${from} is not valid YAML (${(e as Error).message}); fix or delete it`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new TackError('parse_error', `view ${from} is not a mapping of name, description and filters`);
  return stringify({ ...(doc as Record<string, unknown>), name });
}

export default defineOp({
  name: 'view-rename',
  summary: 'Rename a saved view (views/<from>.yaml to views/<to>.yaml), one commit',
  kind: 'write',
  cli: { args: ['from', 'to'] },
  input: z.object({ from: viewName, to: viewName }),
  output: lazyShape(() =>
    z.strictObject({
      from: z.string(),
      name: z.string(),
      path: z.string(),
      renamed: z.boolean(),
      commit: z.string().nullable(),
    }),
  ),
  async run(ctx, input) {
    const from = viewPath(input.from);
    const to = viewPath(input.to);
    if (from === to)
      throw new TackError('invalid_input', `the new name is the old one (${input.to}); expected another name`);
    const store = ctx.store();
    await ctx.index();
    const res = await commitWrite(ctx, (head) => {
      // Read at the head being committed on: a rename racing another writer sees its view.
      const text = head ? readStoreFile(store, head, from) : null;
      if (text === null)
        throw new TackError('not_found', `no saved view "${input.from}" (${from}); see \`tack view list\``, {
          name: input.from,
        });
      if (head && readStoreFile(store, head, to) !== null)
        throw new TackError(
          'already_exists',
          `a view named "${input.to}" exists (${to}); delete it or pick another name`,
          {
            name: input.to,
          },
        );
      return {
        changeSet: {
          changes: [
            { path: from, content: null },
            { path: to, content: renamed(text, input.from, input.to) },
          ],
          subject: `rename view ${input.from} to ${input.to}`,
          trailers: [
            ['Tack-Op', 'view-rename'],
            ['Tack-View', input.to],
          ],
        },
        value: null,
      };
    });
    return { from: input.from, name: input.to, path: to, renamed: true, commit: res.commit };
  },
});
