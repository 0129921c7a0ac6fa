import { LOCAL, type RoutingRules } from '../store/workspace.js';
import { createContext } from './context.js';
import type { OpContext } from './op.js';
import { checkStoreName, locate, selfName, workspaceOf, workspaceSources, type Source } from './workspaceSources.js';

export interface RouteInput {
  /** `--store NAME`: wins over every rule. */
  store?: string;
  type?: string;
  labels?: string[];
  /** The ticket this one was discovered from: a new ticket inherits its store. */
  discoveredFrom?: string;
}

function ruleFor(rules: RoutingRules, type: string | undefined, labels: string[]): string | undefined {
  for (const l of labels) if (rules.labels?.[l]) return rules.labels[l];
  if (type && rules.types?.[type]) return rules.types[type];
  return rules.default;
}

/**
 * The store a new ticket goes to: `--store`, else the store of the ticket it was
 * discovered from, else the first label rule that matches, else the type rule, else the
 * default rule, else this clone's own store (`local`).
 */
export async function routeStore(ctx: OpContext, input: RouteInput): Promise<string> {
  if (input.store) return checkStoreName(ctx, input.store);
  const ws = workspaceOf(ctx);
  if (!ws) return LOCAL;
  if (input.discoveredFrom) {
    const sources = (await workspaceSources(ctx))!;
    return locate(sources, input.discoveredFrom, selfName(ctx)).source.name;
  }
  const name = ruleFor(ws.routing ?? {}, input.type, input.labels ?? []) ?? LOCAL;
  // A rule naming a store that was removed since: say so rather than guess.
  return checkStoreName(ctx, name);
}

/** A context that writes through a member's own repository (its writer lock, its CAS). */
export function storeContext(ctx: OpContext, source: Source): { ctx: OpContext; close(): void } {
  if (!source.member) return { ctx, close: () => {} };
  const m = source.member;
  const mctx = createContext({ effects: ctx.effects, cwd: m.path, member: { path: m.path, ref: m.ref } });
  return { ctx: mctx, close: () => mctx.close() };
}

/**
 * How `source`'s ticket `id` is written in a ticket of `into`: a plain id in the same
 * store, `NAME:ID` across stores (this clone's store by its folder name, not "local").
 */
export function refFrom(ctx: OpContext, source: Source, id: string, into: Source): string {
  if (source.name === into.name) return id;
  return `${source.name === LOCAL ? selfName(ctx) : source.name}:${id}`;
}
