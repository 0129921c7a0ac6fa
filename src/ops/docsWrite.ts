import { z } from 'zod';
import { resolve } from 'node:path';
import { TackError } from '../model/errors.js';
import { normaliseDocPath } from '../model/docPath.js';
import { getDoc } from '../index/docsQueries.js';
import { storeHead } from '../store/store.js';
import { readLocalFile } from '../store/localFile.js';
import { readStoreFile } from '../store/storeReader.js';
import { commitWrite } from './mutate.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

function readSource(cwd: string, input: { file?: string; text?: string }): string {
  if ((input.file === undefined) === (input.text === undefined)) {
    throw new TackError(
      'invalid_input',
      `docs add needs exactly one of --file or --text; received ${input.file === undefined ? 'neither' : 'both'}`,
    );
  }
  if (input.text !== undefined) return input.text;
  const file = resolve(cwd, input.file!);
  try {
    return readLocalFile(file);
  } catch (e) {
    throw new TackError(
      'invalid_input',
      `cannot read --file ${input.file}: ${(e as Error).message}; expected a readable text file`,
      { file },
    );
  }
}

export default defineOp({
  name: 'docs-write',
  summary: 'Add or replace a doc (docs/**/*.md) as one commit',
  kind: 'write',
  localKeys: ['file'], // a path on this machine's disk
  destructive: true,
  idempotent: true,
  cli: { args: ['path'], short: { f: 'file', t: 'text' } },
  input: z.object({
    path: z.string().min(1).describe('under docs/, ending in .md (the docs/ prefix may be left out)'),
    file: z.string().min(1).optional().describe('read the markdown from this file'),
    text: z.string().optional().describe('the markdown itself'),
  }),
  output: lazyShape(() =>
    z.strictObject({
      path: z.string(),
      title: z.string().nullable(),
      created: z.boolean(),
      changed: z.boolean(),
      commit: z.string().nullable(),
    }),
  ),
  async run(ctx, input) {
    const path = normaliseDocPath(input.path);
    const raw = readSource(ctx.cwd, input);
    if (!raw.trim()) throw new TackError('invalid_input', `the text for ${path} is empty; expected some markdown`);
    const content = raw.endsWith('\n') ? raw : `${raw}\n`;
    const store = ctx.store();
    await ctx.index();
    const head = storeHead(store);
    const committed = head ? readStoreFile(store, head, path) : null;
    // Inline mode: the file on disk may differ from the last commit; both must match to skip.
    const current = store.filesDir ? readStoreFile(store, null, path) : committed;
    if (current === content && committed === content) {
      const doc = getDoc((await ctx.index()).db, path);
      return { path, title: doc?.title ?? null, created: false, changed: false, commit: null };
    }
    const res = await commitWrite(ctx, () => ({
      changeSet: {
        changes: [{ path, content }],
        subject: `${committed === null ? 'add' : 'update'} doc ${path}`,
        trailers: [
          ['Tack-Op', 'docs-write'],
          ['Tack-Doc', path],
        ],
      },
      value: null,
    }));
    const doc = getDoc((await ctx.index()).db, path);
    return { path, title: doc?.title ?? null, created: committed === null, changed: true, commit: res.commit };
  },
});
