import type { z } from 'zod';
import { getSummary } from '../index/queries.js';
import { idExists } from '../index/ticketIds.js';
import { LOCAL } from '../store/workspace.js';
import { applyCreate, type createInput } from './create.js';
import { editorEnv } from './applyEnv.js';
import { mutate } from './mutate.js';
import type { OpContext } from './op.js';
import { refFrom, routeStore, storeContext } from './workspaceRouting.js';
import { locate, selfName, workspaceSources, type Source } from './workspaceSources.js';

type CreateInput = z.infer<typeof createInput> & { store?: string };

/**
 * `tack create` in a workspace: routing picks the store; `--blocks` may name tickets of
 * any store (written `NAME:ID` when they are elsewhere). The ticket is created through
 * the target store's own write path. Returns the input to create locally, or the result.
 */
export async function routeCreate(
  ctx: OpContext,
  input: CreateInput,
): Promise<{ local: CreateInput } | { result: unknown }> {
  const name = await routeStore(ctx, {
    store: input.store,
    type: input.type,
    labels: input.label,
    discoveredFrom: input.discovered_from,
  });
  const sources = await workspaceSources(ctx);
  if (!sources) return { local: input };
  const target = sources.find((s) => s.name === name);
  if (!target) return { local: input }; // routeStore checked the name; an unreadable member warned
  const blocks = input.blocks?.map((b) => blockRef(ctx, sources, target, b));
  const resolved = { ...input, ...(blocks ? { blocks } : {}) };
  if (name === LOCAL) return { local: resolved };
  return { result: await createIn(ctx, target, resolved) };
}

/** A `--blocks` target as the new ticket's store writes it. */
function blockRef(ctx: OpContext, sources: Source[], target: Source, typed: string): string {
  // Ids of the target store itself resolve as usual (prefixes included).
  if (!typed.includes(':') && idExists(target.index.db, typed)) return typed;
  const at = locate(sources, typed, selfName(ctx));
  return refFrom(ctx, at.source, at.id, target);
}

async function createIn(ctx: OpContext, target: Source, input: CreateInput) {
  const { ctx: mctx, close } = storeContext(ctx, target);
  try {
    const { commit, value: id } = await mutate(mctx, 'create', (ed) => applyCreate(ed, input, editorEnv(ed, mctx)));
    return { ...getSummary((await mctx.index()).db, id)!, source: target.name, commit };
  } finally {
    close();
  }
}
