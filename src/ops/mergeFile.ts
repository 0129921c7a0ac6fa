import { z } from 'zod';
import { mergeStoreFile } from '../model/merge.js';
import { INLINE_DIR } from '../store/store.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';
import { conflictRecordShape } from '../model/settingsShapes.js';

/**
 * The merge function as an operation: git's merge driver (`tack merge-file %O %A %B %P`)
 * reaches it through the CLI, which reads and writes the files; REST and MCP pass texts.
 */
export default defineOp({
  name: 'merge-file',
  summary: 'Merge two versions of a store file against their base (the git merge driver)',
  kind: 'read',
  input: z.object({
    base: z.string().describe('the common ancestor\'s text ("" when the file is new on both sides)'),
    ours: z.string().describe("our version's text"),
    theirs: z.string().describe("their version's text"),
    path: z.string().min(1).describe("the file's path in the tree, e.g. tickets/tk-3fa9.md"),
  }),
  output: lazyShape(() =>
    z.strictObject({
      path: z.string(),
      text: z.string(),
      conflicts: z.array(conflictRecordShape()),
    }),
  ),
  async run(_ctx, input) {
    const rel = input.path.startsWith(`${INLINE_DIR}/`) ? input.path.slice(INLINE_DIR.length + 1) : input.path;
    const res = mergeStoreFile(rel, input.base === '' ? null : input.base, input.ours, input.theirs);
    return { path: input.path, text: res.text, conflicts: res.conflicts };
  },
});
