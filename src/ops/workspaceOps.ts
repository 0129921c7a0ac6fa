import { indexedSchema } from '../index/indexDb.js';
import type { ListFilter } from '../index/queries.js';
import { refreshClaims } from '../index/claims.js';
import { CATEGORIES, type Schema } from '../model/schema.js';
import { TackError, unknownValue } from '../model/errors.js';
import { LOCAL } from '../store/workspace.js';
import type { OpContext } from './op.js';
import { workspaceBlocked, workspaceList, workspaceReady, workspaceSearch, workspaceShow } from './workspaceReads.js';
import { checkStoreName, locate, selfName, workspaceSources, type Source } from './workspaceSources.js';

/*
 * The read operations when a workspace is configured (or `--store` is given): loaded
 * only then, so single-store reads pay nothing for workspaces.
 */

async function sources(ctx: OpContext, only: string | undefined): Promise<Source[]> {
  if (only) checkStoreName(ctx, only);
  return (await workspaceSources(ctx)) ?? [{ name: LOCAL, index: await ctx.index() }];
}

/** A filter value must name something in at least one store's schema. */
function checkAny(
  what: string,
  values: string[] | undefined,
  schemas: Schema[],
  pick: (s: Schema) => readonly string[],
): void {
  for (const v of values ?? []) {
    const all = [...new Set(schemas.flatMap(pick))];
    if (!all.includes(v)) throw unknownValue(what, v, all);
  }
}

type ListInput = ListFilter & {
  status?: string[];
  category?: string[];
  type?: string[];
  priority?: string[];
  parent?: string;
  store?: string;
};

export async function listOp(ctx: OpContext, input: ListInput) {
  const all = await sources(ctx, input.store);
  const schemas = all.map((s) => indexedSchema(s.index.db)!);
  checkAny('status', input.status, schemas, (s) => s.states.map((x) => x.name));
  checkAny('category', input.category, schemas, () => CATEGORIES);
  checkAny('type', input.type, schemas, (s) => s.types);
  checkAny('priority', input.priority, schemas, (s) => s.priorities);
  const parent = input.parent ? locate(all, input.parent, selfName(ctx)).id : undefined;
  return workspaceList(all, { ...input, parent }, input.store);
}

export async function showOp(ctx: OpContext, input: { id: string; store?: string; history?: boolean }) {
  const all = await sources(ctx, input.store);
  const id = input.store && !input.id.includes(':') ? `${input.store}:${input.id}` : input.id;
  return workspaceShow(ctx, all, id, input.history !== false);
}

export async function readyOp(
  ctx: OpContext,
  input: {
    type?: string[];
    label?: string[];
    unassigned?: boolean;
    for?: 'agent' | 'human';
    limit?: number;
    store?: string;
  },
) {
  const all = await sources(ctx, input.store);
  for (const s of all) await refreshClaims(s.index);
  const me = ctx.user();
  return workspaceReady(
    ctx,
    all,
    {
      me: input.unassigned ? null : me,
      limit: input.limit,
      type: input.type,
      label: input.label,
      audience: input.for,
      claims: { me, now: ctx.now() },
    },
    input.store,
  );
}

export async function searchOp(
  ctx: OpContext,
  input: { text: string; open?: boolean; archived?: boolean; limit?: number; store?: string },
) {
  if (!input.text) throw new TackError('invalid_input', 'search needs words to look for; received none');
  const all = await sources(ctx, input.store);
  return workspaceSearch(
    all,
    input.text,
    { open: input.open, archived: input.archived, limit: input.limit },
    input.store,
  );
}

export async function blockedOp(ctx: OpContext, input: { limit?: number; store?: string }) {
  const all = await sources(ctx, input.store);
  return workspaceBlocked(ctx, all, input.limit, input.store);
}
