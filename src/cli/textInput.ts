import { z } from 'zod';
import { TackError } from '../model/errors.js';
import type { OpContext, OpDef } from '../ops/op.js';
import type { CliAdapter } from './adapters.js';
import { readInputText } from './inputFile.js';
import { stderrIsTTY, stdinIsTTY } from './output.js';

/**
 * Text taken like `git commit` takes a message: the value itself, `-` for stdin, `--file
 * PATH`, or (for a comment, on a terminal, with no text) the user's editor. The operation
 * still receives plain text, so REST and MCP are untouched.
 */
export function textInputAdapter(
  field: string,
  opts: {
    editor: boolean;
    /** What the editor opens with (an edit starts from the text being edited). */
    initial?: (input: Record<string, unknown>, ctx: OpContext) => Promise<string>;
  },
): CliAdapter {
  return {
    cliOp: (op: OpDef) => {
      const shape = (op.input as z.ZodObject).shape as Record<string, z.ZodType>;
      const input = (op.input as z.ZodObject).extend({
        [field]: (shape[field] as z.ZodType).optional(),
        file: z
          .string()
          .optional()
          .describe(`read the ${field === 'text' ? 'text' : field} from this file ("-": stdin)`),
      });
      return { ...op, input } as OpDef;
    },
    async run({ input, ctx, words, run }) {
      const { file, ...rest } = input;
      const value = rest[field];
      const command = `tack ${words.join(' ')}`;
      if (file !== undefined && value !== undefined)
        throw new TackError('invalid_input', `${command}: give the ${field} or --file, not both`);
      if (typeof file === 'string') return run({ ...rest, [field]: readInputText(file, ctx.cwd, command).text });
      if (value === '-') return run({ ...rest, [field]: readInputText('-', ctx.cwd, command).text });
      if (value !== undefined || !opts.editor) return run(rest);
      if (!stdinIsTTY() || !stderrIsTTY())
        throw new TackError(
          'invalid_input',
          `${command}: missing the ${field}; expected it as an argument, "-" for stdin, or --file PATH`,
        );
      const { editInEditor, keptEditsDir } = await import('./editor.js');
      const start = opts.initial ? await opts.initial(rest, ctx) : '';
      return editInEditor('COMMENT.md', start, keptEditsDir(ctx), (text) => run({ ...rest, [field]: text }));
    },
  };
}
