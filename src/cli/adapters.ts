import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { conflictRecordShape } from '../model/settingsShapes.js';
import { ticketPaths } from '../model/ticketPath.js';
import type { OpContext, OpDef } from '../ops/op.js';
import { parseJsonItems, readInputText } from './inputFile.js';
import { textInputAdapter } from './textInput.js';

/** Loaded only by the commands that open a stored file (keeps every other start light). */
async function storeText(
  ctx: OpContext,
  /** Where the file may be, in order (a ticket: both layouts). */
  rels: readonly string[],
): Promise<{ text: string | null; base: (text: string) => string }> {
  const [{ readStoreFile }, { blobId }, { objectFormat }] = await Promise.all([
    import('../store/storeReader.js'),
    import('../git/objects.js'),
    import('../git/objectFormat.js'),
  ]);
  const format = objectFormat(ctx.store().repo);
  let text: string | null = null;
  for (const rel of rels) if (text === null) text = readStoreFile(ctx.store(), null, rel);
  return { text, base: (t) => blobId(t, format) };
}

/**
 * Commands whose input does not come from argv alone (stdin, a file, an editor). The
 * operation still takes plain data (`operations`, `text`), so REST and MCP call it as is;
 * only the terminal needs this step.
 */
export interface AdapterCall {
  /** The command words typed, e.g. ['schema', 'set']. */
  words: string[];
  /** argv parsed with the adapter's view of the command (`cliOp`). */
  input: Record<string, unknown>;
  ctx: OpContext;
  /** Validate with the operation's own schema and run it; may be called again after an error. */
  run(input: Record<string, unknown>): Promise<unknown>;
}

export interface CliAdapter {
  /** The command as the terminal sees it: CLI-only arguments (FILE) in, API-only inputs out. */
  cliOp?(op: OpDef, words: string[]): OpDef;
  /** What the terminal prints when it is not just the operation's answer (test/jsonShapes.test.ts checks it). */
  output?(op: OpDef): z.ZodType;
  run(call: AdapterCall): Promise<unknown>;
}

function withFileArg(op: OpDef, omit: string[], describe: string): OpDef {
  const mask = Object.fromEntries(omit.map((k) => [k, true as const]));
  const input = (op.input as z.ZodObject)
    .omit(mask as never)
    .extend({ file: z.string().optional().describe(describe) });
  return { ...op, input, cli: { ...op.cli, args: ['file'] } } as OpDef;
}

const batch: CliAdapter = {
  cliOp: (op) => withFileArg(op, ['operations'], 'JSON array or JSON lines of operations; "-" or none: stdin'),
  async run({ input, ctx, run }) {
    const { file, ...rest } = input;
    const { text, source } = readInputText(file, ctx.cwd, 'tack batch');
    return run({ ...rest, operations: parseJsonItems(text, source) });
  },
};

const edit: CliAdapter = {
  async run({ input, ctx, run }) {
    if (input.text !== undefined || typeof input.id !== 'string') return run(input);
    const { resolveId } = await import('../index/ticketIds.js');
    const id = resolveId((await ctx.index()).db, input.id, { broken: true });
    const { text: current, base } = await storeText(ctx, ticketPaths(id));
    if (current === null) {
      const where = ticketPaths(id).join(' or ');
      throw new TackError('not_found', `no file for ticket ${id} in the store; expected ${where}`, { id });
    }
    const { editInEditor, keptEditsDir } = await import('./editor.js');
    return editInEditor(`${id}.md`, current, keptEditsDir(ctx), (text) =>
      run({ ...input, id, text, base: base(current) }),
    );
  },
};

const schemaEdit: CliAdapter = {
  cliOp: (op, words) =>
    words.includes('set') ? withFileArg(op, ['text', 'base'], 'the new schema.yaml; "-" or none: stdin') : op,
  async run({ input, words, ctx, run }) {
    if (input.text !== undefined) return run(input);
    if (words.includes('set')) {
      const { file, ...rest } = input;
      return run({ ...rest, text: readInputText(file, ctx.cwd, 'tack schema set').text });
    }
    const { text: current, base } = await storeText(ctx, ['schema.yaml']);
    if (current === null)
      throw new TackError('no_store', 'the store has no schema.yaml; expected one (run `tack init`)');
    const { editInEditor, keptEditsDir } = await import('./editor.js');
    return editInEditor('schema.yaml', current, keptEditsDir(ctx), (text) =>
      run({ ...input, text, base: base(current) }),
    );
  },
};

/** git runs `tack merge-file %O %A %B %P`: read the three files, write the result into %A. */
const mergeFile: CliAdapter = {
  cliOp: (op) =>
    ({
      ...op,
      input: z.object({
        base: z.string().describe('file holding the common ancestor (%O)'),
        ours: z.string().describe('file holding our version; the result is written here (%A)'),
        theirs: z.string().describe('file holding their version (%B)'),
        path: z.string().describe('the path in the tree (%P)'),
      }),
      cli: { args: ['base', 'ours', 'theirs', 'path'] },
    }) as OpDef,
  // The merged text went into %A: the answer says where and what conflicted.
  output: () => z.strictObject({ path: z.string(), conflicts: z.array(conflictRecordShape()) }),
  async run({ input, ctx, run }) {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const { resolve } = await import('node:path');
    const read = (f: unknown) => readFileSync(resolve(ctx.cwd, String(f)), 'utf8');
    const res = (await run({
      base: read(input.base),
      ours: read(input.ours),
      theirs: read(input.theirs),
      path: input.path,
    })) as { path: string; text: string; conflicts: unknown[] };
    writeFileSync(resolve(ctx.cwd, String(input.ours)), res.text);
    return { path: res.path, conflicts: res.conflicts };
  },
};

/**
 * `tack ready --for agent --claim`: `--claim` after other options is the claim-next
 * operation (`ready --claim` first is matched as its own command words).
 */
const ready: CliAdapter = {
  cliOp: (op) =>
    ({
      ...op,
      input: (op.input as z.ZodObject).extend({
        claim: z.boolean().optional().describe('claim the top one (as `tack claim next`)'),
      }),
    }) as OpDef,
  async run({ input, ctx, run }) {
    const { claim, ...rest } = input;
    if (!claim) return run(rest);
    const { runOp } = await import('../ops/runOp.js');
    return runOp(ctx, 'claim-next', {
      type: rest.type,
      label: rest.label,
      unassigned: rest.unassigned,
      audience: rest.for,
    });
  },
};

/** `tack export FORMAT [OUT]`: the op returns the text (or a folder's files); the terminal writes it to OUT or stdout. */
const exportAdapter: CliAdapter = {
  cliOp: (op) =>
    ({
      ...op,
      input: (op.input as z.ZodObject).extend({
        out: z.string().optional().describe('write to this file instead of stdout (backlog: the folder to make)'),
        dest: z.string().optional().describe('the same as --out: `tack export backlog DIR`'),
      }),
      cli: { ...op.cli, args: ['format', 'dest'] },
    }) as OpDef,
  // To stdout: the operation's answer; to OUT: what was written where.
  output: (op) =>
    z.union([
      op.output(),
      z.strictObject({
        format: z.string(),
        count: z.number(),
        out: z.string(),
        files: z.number().optional(),
        message: z.string(),
      }),
    ]),
  async run({ input, ctx }) {
    const { out: flag, dest, ...rest } = input;
    if (typeof flag === 'string' && typeof dest === 'string' && flag !== dest)
      throw new TackError('invalid_input', `two destinations: ${dest} and --out ${flag}; expected one`);
    const out = flag ?? dest;
    return exportWritten(rest, out, ctx);
  },
};

/**
 * An export written as it is made (one of 100,000 tickets is never held whole): a text to OUT
 * whole or not at all, or handed to the terminal as a StreamedAnswer; a Backlog.md folder to DIR.
 */
async function exportWritten(given: Record<string, unknown>, out: unknown, ctx: OpContext): Promise<unknown> {
  const [mod, { validateInput }, { StreamedAnswer }, { writeFileWhole, writeFolderWhole }, { resolve }] =
    await Promise.all([
      import('../ops/export.js'),
      import('./argsFromSchema.js'),
      import('./streamedAnswer.js'),
      import('./writeWhole.js'),
      import('node:path'),
    ]);
  const input = validateInput(mod.default, given) as Parameters<typeof mod.exportFolder>[1];
  const tickets = (n: number) => `${n} ticket${n === 1 ? '' : 's'}`;
  if (input.format === 'backlog') {
    if (typeof out !== 'string')
      throw new TackError(
        'invalid_input',
        'tack export backlog needs DIR: the backlog/ folder to write (tack export backlog DIR)',
      );
    const folder = await mod.exportFolder(ctx, input);
    const files = writeFolderWhole(resolve(ctx.cwd, out), folder.files);
    const message = `exported ${tickets(folder.count)} as a Backlog.md folder (${files} files) to ${out}`;
    return { format: input.format, count: folder.count, out, files, message };
  }
  const text = await mod.exportText(ctx, { ...input, format: input.format });
  if (typeof out !== 'string')
    return new StreamedAnswer({ format: text.format, count: text.count }, 'text', text.chunks);
  writeFileWhole(resolve(ctx.cwd, out), text.chunks);
  return {
    format: text.format,
    count: text.count,
    out,
    message: `exported ${tickets(text.count)} as ${text.format} to ${out}`,
  };
}

/** The current text of the comment `tack comment edit` names, for the editor to start from. */
async function commentText(input: Record<string, unknown>, ctx: OpContext): Promise<string> {
  const { resolveId } = await import('../index/ticketIds.js');
  const db = (await ctx.index()).db;
  const row = db
    .prepare<{ body: string }>('SELECT body FROM comments WHERE ticket = ? AND id = ?')
    .get(resolveId(db, String(input.id)), String(input.comment));
  return row ? `${row.body}\n` : '';
}

const ADAPTERS: Record<string, CliAdapter> = {
  batch,
  edit,
  'schema-edit': schemaEdit,
  'merge-file': mergeFile,
  ready,
  export: exportAdapter,
  comment: textInputAdapter('text', { editor: true }),
  'comment-edit': textInputAdapter('text', { editor: true, initial: commentText }),
  create: textInputAdapter('description', { editor: false }),
  update: textInputAdapter('description', { editor: false }),
};

export function cliAdapter(opName: string): CliAdapter | undefined {
  return ADAPTERS[opName];
}
