import { z } from 'zod';
import { join } from 'node:path';
import { TackError } from '../model/errors.js';
import { DEFAULT_SCHEMA_YAML } from '../model/schema.js';
import { LAYOUTS, schemaTextWithLayout } from '../model/ticketPath.js';
import { discoverRepo } from '../git/repo.js';
import { hasCommits, readRef } from '../git/refs.js';
import { DEFAULT_BRANCH, INLINE_DIR, openStore, writeSettings, type Store } from '../store/store.js';
import { commitChange } from '../store/storeWriter.js';
import { workTreeHas } from '../store/workTreeFile.js';
import { configureDriver, currentAttributes, withAttributes } from './mergeDriver.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

const STORE_README = `# Tack store

This branch holds the tickets of this repository's Tack tracker: one markdown file per
ticket in \`tickets/\`, specs and docs in \`docs/\`, the table definition in \`schema.yaml\`.
Every change is a commit. Use the \`tack\` command, or edit the files and commit.
`;

export default defineOp({
  name: 'init',
  summary: 'Create the Tack store in this git repository (branch mode, or --inline)',
  kind: 'write',
  localOnly: true, // needs a repository without a store; a server runs on one
  input: z.object({
    inline: z.boolean().optional().describe('keep tickets in .tack/ on the current branch instead of a tack branch'),
    branch: z.string().optional().describe(`store branch name (default ${DEFAULT_BRANCH})`),
    layout: z
      .enum(LAYOUTS)
      .optional()
      .describe('where ticket files go: flat (tickets/<id>.md, default) or fanout (tickets/<shard>/<id>.md)'),
  }),
  output: lazyShape(() =>
    z.strictObject({
      created: z.boolean(),
      mode: z.string(),
      ref: z.string(),
      commit: z.string().nullable().optional(),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    const repo = discoverRepo(ctx.cwd);
    if (!hasCommits(repo)) {
      throw new TackError(
        'no_commits',
        `${repo.workTree} has no commits yet; expected at least one commit (git commit --allow-empty -m init) before \`tack init\``,
      );
    }
    const existing = existingStore(ctx.cwd);
    if (existing) {
      return {
        created: false,
        mode: existing.mode,
        ref: existing.ref,
        message: `a Tack store already exists (${existing.mode} mode, ${existing.mode === 'inline' ? `${INLINE_DIR}/` : existing.ref}); nothing changed`,
      };
    }
    const mode = input.inline ? 'inline' : 'branch';
    const ref = `refs/heads/${input.branch ?? DEFAULT_BRANCH}`;
    const store: Store =
      mode === 'inline'
        ? { repo, mode, ref: 'HEAD', prefix: `${INLINE_DIR}/`, filesDir: join(repo.workTree, INLINE_DIR) }
        : { repo, mode, ref, prefix: '', filesDir: null };
    // The merge driver's .gitattributes rides in the same commit (at the tree's root).
    const attributes = withAttributes(mode === 'inline' ? currentAttributes(store) : null, store.prefix);
    // Not commitWrite: there is no store yet, so no context store and no index to catch up or
    // apply the commit to; the first command after init builds the index from this commit.
    const res = commitChange(
      { ...store, prefix: '' },
      () => ({
        changeSet: {
          changes: [
            {
              path: `${store.prefix}schema.yaml`,
              content:
                input.layout === 'fanout' ? schemaTextWithLayout(DEFAULT_SCHEMA_YAML, 'fanout') : DEFAULT_SCHEMA_YAML,
            },
            { path: `${store.prefix}tickets/.gitkeep`, content: '' },
            ...(mode === 'branch'
              ? [
                  { path: 'README.md', content: STORE_README },
                  { path: 'docs/.gitkeep', content: '' },
                ]
              : []),
            ...(attributes !== null ? [{ path: '.gitattributes', content: attributes }] : []),
          ],
          subject: 'tack: initialise the store',
          trailers: [['Tack-Op', 'init']],
        },
        value: null,
      }),
      { date: process.env.TACK_NOW ? ctx.now() : undefined },
    );
    writeSettings(repo, mode === 'inline' ? { mode: 'inline', commit: 'auto' } : { mode: 'branch', ref });
    configureDriver(repo, ctx.effects.tack);
    const where =
      mode === 'branch' ? `branch ${ref.replace('refs/heads/', '')}` : `${INLINE_DIR}/ on the current branch`;
    return {
      created: true,
      mode,
      ref: store.ref,
      commit: res.commit,
      message: `created the Tack store (${mode} mode, ${where})`,
    };
  },
});

function existingStore(cwd: string): Store | null {
  const repo = discoverRepo(cwd);
  if (workTreeHas(repo, `${INLINE_DIR}/schema.yaml`) || readRef(repo, `refs/heads/${DEFAULT_BRANCH}`)) {
    return openStore(cwd);
  }
  try {
    return openStore(cwd); // adopts origin/tack in a fresh clone
  } catch (e) {
    if ((e as TackError).code === 'no_store') return null;
    throw e;
  }
}
