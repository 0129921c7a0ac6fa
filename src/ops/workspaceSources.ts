import { basename } from 'node:path';
import { TackError } from '../model/errors.js';
import { parseCrossRef } from '../model/crossRef.js';
import { ensureFresh, openIndex, type Index } from '../index/indexDb.js';
import { openOutsideBlocks } from '../index/queries.js';
import { idsWithPrefix, resolveId } from '../index/ticketIds.js';
import { LOCAL, memberStore, type WorkspaceMember, type WorkspaceSettings } from '../store/workspace.js';
import type { OpContext } from './op.js';

/** One store of a workspace with its own index (refreshed by its own code path). */
export interface Source {
  name: string;
  index: Index;
  member?: WorkspaceMember;
}

/** Member indexes stay open for the life of the process (a server answers many reads). */
const open = new Map<string, Index>();

async function memberIndex(m: WorkspaceMember): Promise<Index> {
  const key = `${m.path}\0${m.ref ?? ''}`;
  const have = open.get(key);
  if (have) {
    await ensureFresh(have);
    return have;
  }
  const idx = await openIndex(memberStore(m));
  open.set(key, idx);
  return idx;
}

export function workspaceOf(ctx: OpContext): WorkspaceSettings | null {
  return ctx.store().workspace ?? null;
}

export function storeNames(ws: WorkspaceSettings | null): string[] {
  return [LOCAL, ...(ws?.members ?? []).map((m) => m.name)];
}

/** A store name typed by someone: `local` or a member; anything else is an error naming the choices. */
export function checkStoreName(ctx: OpContext, name: string): string {
  const names = storeNames(workspaceOf(ctx));
  if (!names.includes(name)) {
    throw new TackError(
      'not_found',
      `no store "${name}" in the workspace; expected one of: ${names.join(', ')} (see \`tack workspace list\`)`,
      { store: name, stores: names },
    );
  }
  return name;
}

/**
 * Every store of the workspace, this clone's first; null when no workspace is configured
 * (callers then take the single-store path, which opens nothing else). A member that
 * cannot be read is left out with a warning: one missing sibling must not stop the rest.
 */
export async function workspaceSources(ctx: OpContext): Promise<Source[] | null> {
  const ws = workspaceOf(ctx);
  if (!ws) return null;
  const out: Source[] = [{ name: LOCAL, index: await ctx.index() }];
  for (const m of ws.members) {
    try {
      out.push({ name: m.name, index: await memberIndex(m), member: m });
    } catch (e) {
      ctx.warn?.(`workspace store "${m.name}" (${m.path}) cannot be read: ${(e as Error).message}`);
    }
  }
  return out;
}

/** How this clone's store is named in references written into other stores. */
export function selfName(ctx: OpContext): string {
  return (
    basename(ctx.store().repo.workTree)
      .replace(/[^A-Za-z0-9_.-]/g, '-')
      .replace(/^[^A-Za-z]+/, '') || LOCAL
  );
}

export interface Located {
  source: Source;
  id: string;
}

function byName(sources: Source[], name: string, self?: string): Source | undefined {
  return sources.find((s) => s.name === name) ?? (name === self ? sources.find((s) => s.name === LOCAL) : undefined);
}

/**
 * A ticket as a person types it, anywhere in the workspace: `NAME:tk-3fa9` (in that store),
 * or an id or prefix that must be unique across all stores.
 */
export function locate(sources: Source[], input: string, self?: string): Located {
  const text = input.trim().replace(/^\+/, '');
  const cross = parseCrossRef(text);
  if (cross) {
    const s = byName(sources, cross.store, self);
    if (!s) {
      const names = sources.map((x) => x.name);
      throw new TackError(
        'not_found',
        `no store "${cross.store}" in the workspace (in "${text}"); expected one of: ${names.join(', ')}`,
        { id: text, stores: names },
      );
    }
    return { source: s, id: resolveId(s.index.db, cross.id) };
  }
  const hits = sources.flatMap((s) => idsWithPrefix(s.index.db, text).map((id) => ({ source: s, id })));
  const exact = hits.filter((h) => h.id === text);
  const pool = exact.length ? exact : hits;
  if (pool.length === 1) return pool[0];
  if (pool.length === 0) {
    try {
      resolveId(sources[0].index.db, text); // names a broken local file, if that is what it is
    } catch (e) {
      if ((e as TackError).code === 'parse_error') throw e;
    }
    throw new TackError(
      'not_found',
      `no ticket with id "${text}" in any store of the workspace (${sources.map((s) => s.name).join(', ')}); expected an id, a unique prefix, or NAME:ID`,
      { id: text },
    );
  }
  const shown = pool.slice(0, 10).map((h) => `${h.source.name}:${h.id}`);
  throw new TackError(
    'ambiguous_id',
    `"${text}" is ambiguous across the workspace; it matches ${pool.length} tickets: ${shown.join(', ')}${pool.length > 10 ? ', …' : ''}; expected a longer prefix or NAME:ID`,
    { id: text, matches: shown },
  );
}

/**
 * A reference written in a ticket of `from` (`planning:tk-3fa9`, or a bare id of another
 * store): the store name is a hint, the id is global. Null when no store has it.
 */
export function resolveRef(sources: Source[], ref: string, from: Source, self?: string): Located | null {
  const cross = parseCrossRef(ref);
  const id = cross ? cross.id : ref;
  const named = cross ? byName(sources, cross.store, self) : undefined;
  const order = named ? [named, ...sources.filter((s) => s !== named)] : sources.filter((s) => s !== from);
  for (const s of order) {
    const ids = idsWithPrefix(s.index.db, id);
    const hit = ids.includes(id) ? id : ids.length === 1 ? ids[0] : null;
    if (hit) return { source: s, id: hit };
  }
  return null;
}

/**
 * Open blockers that live in another store than the ticket they block, per store and
 * ticket: `blocked.get('local')?.get('tk-1')` = ['planning:tk-9']. Unresolvable
 * references are warnings, never errors (the other store may be elsewhere today).
 */
export function crossBlockers(ctx: OpContext, sources: Source[]): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  const self = selfName(ctx);
  for (const s of sources) {
    for (const e of openOutsideBlocks(s.index.db)) {
      const target = resolveRef(sources, e.dst, s, self);
      if (!target) {
        ctx.warn?.(`${s.name}:${e.src} blocks "${e.dst}", which is in no store of the workspace`);
        continue;
      }
      const per = out.get(target.source.name) ?? out.set(target.source.name, new Map()).get(target.source.name)!;
      (per.get(target.id) ?? per.set(target.id, []).get(target.id)!).push(`${s.name}:${e.src}`);
    }
  }
  return out;
}
