import { basename, resolve } from 'node:path';
import { z } from 'zod';
import { isTackError, TackError } from '../model/errors.js';
import { openIndex } from '../index/indexDb.js';
import { LOCAL, memberStore, STORE_NAME, fullRef, type WorkspaceMember } from '../store/workspace.js';
import { localPathExists } from '../store/localFile.js';
import { readWorkspace, writeWorkspace } from './workspaceShared.js';
import { defineOp } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

function defaultName(workTree: string, ref?: string): string {
  const base =
    basename(workTree)
      .replace(/[^A-Za-z0-9_.-]/g, '-')
      .replace(/^[^A-Za-z]+/, '') || 'store';
  return ref ? `${base}-${ref.replace(/^refs\/heads\//, '').replace(/[^A-Za-z0-9_.-]/g, '-')}` : base;
}

/** Open the member's store and index once: a path that holds no usable store is refused now. */
async function probe(member: WorkspaceMember, typed: string) {
  try {
    const store = memberStore(member);
    const idx = await openIndex(store);
    const n = idx.db.prepare<{ n: number }>('SELECT count(*) AS n FROM tickets').get()!.n;
    idx.db.close();
    return { store, tickets: n };
  } catch (e) {
    const code = isTackError(e) ? e.code : 'no_store';
    throw new TackError(code, `cannot add ${typed} to the workspace: ${(e as Error).message}`, {
      path: member.path,
      ref: member.ref ?? null,
    });
  }
}

export default defineOp({
  name: 'workspace-add',
  summary: "Add another store (a repository on disk, or another ref of a store) to this clone's workspace",
  kind: 'write',
  localOnly: true, // this machine's own set-up
  cli: { args: ['path'] },
  input: z.object({
    path: z.string().min(1).describe('a directory in the other repository (relative to here)'),
    ref: z
      .string()
      .min(1)
      .optional()
      .describe("read the store at this branch or ref instead of the repository's own store"),
    name: z
      .string()
      .min(1)
      .optional()
      .describe('how its tickets are shown and addressed (NAME:tk-…); default: the folder name'),
  }),
  output: lazyShape(() =>
    z.strictObject({
      name: z.string(),
      path: z.string(),
      ref: z.string(),
      tickets: z.number(),
      message: z.string(),
    }),
  ),
  async run(ctx, input) {
    const local = ctx.store();
    const path = resolve(ctx.cwd, input.path);
    if (!localPathExists(path))
      throw new TackError(
        'not_found',
        `cannot add ${input.path} to the workspace: ${path} does not exist; expected a directory in a git repository`,
        { path },
      );
    const ref = input.ref ? fullRef(input.ref) : undefined;
    const { store, tickets } = await probe({ name: '', path, ref }, input.path);
    if (store.repo.commonDir === local.repo.commonDir && store.ref === local.ref) {
      throw new TackError(
        'invalid_input',
        `${input.path} is this clone's own store (${local.ref}); expected another repository, or another ref with --ref`,
        { path },
      );
    }
    const ws = readWorkspace(local);
    const name = input.name ?? defaultName(store.repo.workTree, ref);
    if (!STORE_NAME.test(name) || name === LOCAL) {
      throw new TackError(
        'invalid_input',
        `store name "${name}": expected a letter then letters, digits, "-", "_" or "." (at most 40), not "${LOCAL}"; choose one with --name`,
        { name },
      );
    }
    if (ws.members.some((m) => m.name === name))
      throw new TackError(
        'already_exists',
        `the workspace already has a store named "${name}"; choose another with --name`,
        { name },
      );
    const same = ws.members.find((m) => {
      try {
        const s = memberStore(m);
        return s.repo.commonDir === store.repo.commonDir && s.ref === store.ref;
      } catch {
        return false;
      }
    });
    if (same)
      throw new TackError(
        'already_exists',
        `${input.path} (${store.ref}) is already in the workspace as "${same.name}"`,
        { name: same.name },
      );
    const member: WorkspaceMember = { name, path: store.repo.workTree, ...(ref ? { ref } : {}) };
    ws.members.push(member);
    writeWorkspace(local, ws);
    return {
      ...member,
      ref: store.ref,
      tickets,
      message: `added ${name} (${member.path}${ref ? ` at ${ref}` : ''}, ${tickets} tickets); list, ready, search, show and blocked now span the workspace`,
    };
  },
});
