import { TackError } from '../model/errors.js';
import { firstStateOf, categoryOf, type Schema } from '../model/schema.js';
import { indexedSchema } from '../index/indexDb.js';
import { ticketDetails, type TicketDetails } from '../index/ticketDetails.js';
import { mutate, type Mutation } from './mutate.js';
import type { OpContext } from './op.js';
import type { TicketEditor } from './ticketEditor.js';
import { storeContext } from './workspaceRouting.js';
import { locate, resolveRef, selfName, workspaceSources, type Located, type Source } from './workspaceSources.js';
import { noWorkspace } from './workspaceShared.js';

/*
 * Moving a ticket between stores: `propose` copies it into another store as a proposal
 * (fields `proposed_from` there, `proposed_to` here), `withdraw` takes the proposal back,
 * `accept` makes it a normal ticket (`accepted_from`) and records the original as moved
 * (`moved_to`, closed). Each side is one commit made by that store's own write path.
 */

export const PROPOSED_FROM = 'proposed_from';
export const PROPOSED_TO = 'proposed_to';
export const ACCEPTED_FROM = 'accepted_from';
export const MOVED_TO = 'moved_to';

export async function sourcesFor(ctx: OpContext, what: string): Promise<Source[]> {
  const sources = await workspaceSources(ctx);
  if (!sources) throw noWorkspace(what);
  return sources;
}

export function details(at: Located): TicketDetails {
  return ticketDetails(at.source.index.db, at.id)!;
}

export function schemaOfSource(s: Source): Schema {
  return indexedSchema(s.index.db)!;
}

/** A marker field (`proposed_to: planning:tk-9`) of a ticket, if set. */
export function marker(t: TicketDetails, key: string): string | null {
  const v = t.extra[key];
  return typeof v === 'string' && v ? v : null;
}

/** Follow a marker to the ticket it names; null (and a warning) when no store has it. */
export function follow(ctx: OpContext, sources: Source[], from: Located, ref: string): Located | null {
  const to = resolveRef(sources, ref, from.source, selfName(ctx));
  if (!to)
    ctx.warn?.(
      `${from.source.name}:${from.id} names "${ref}", which is in no store of the workspace; only this side was changed`,
    );
  return to;
}

export function locateIn(ctx: OpContext, sources: Source[], id: string): Located {
  return locate(sources, id, selfName(ctx));
}

/** One commit in `source`, through its own repository. */
export async function commitIn<T>(
  ctx: OpContext,
  source: Source,
  op: string,
  apply: (ed: TicketEditor) => Mutation<T>,
): Promise<{ commit: string | null; value: T }> {
  const { ctx: sctx, close } = storeContext(ctx, source);
  try {
    const res = await mutate(sctx, op, apply);
    // The member's index was refreshed by its own context: the workspace's copy catches up on next read.
    return res;
  } finally {
    close();
  }
}

/** The state a proposal starts in: the target's triage state (else its default). */
export function triageState(schema: Schema): string {
  return firstStateOf(schema, 'triage') ?? schema.defaultStatus;
}

/** The state an accepted proposal moves to: the default, unless that is triage too. */
export function acceptedState(schema: Schema): string {
  if (categoryOf(schema, schema.defaultStatus) !== 'triage') return schema.defaultStatus;
  return firstStateOf(schema, 'backlog') ?? firstStateOf(schema, 'unstarted') ?? schema.defaultStatus;
}

/** The state of an original whose work moved elsewhere: canceled (else completed). */
export function movedState(schema: Schema): string {
  const s = firstStateOf(schema, 'canceled') ?? firstStateOf(schema, 'completed');
  if (!s)
    throw new TackError(
      'invalid_input',
      "the source store's schema has no canceled or completed state to record the move in",
    );
  return s;
}
