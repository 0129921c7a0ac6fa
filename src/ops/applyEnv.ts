import { isCrossRef } from '../model/crossRef.js';
import { resolveId } from '../index/ticketIds.js';
import type { OpContext } from './op.js';
import type { TicketEditor } from './ticketEditor.js';

/**
 * What an "apply to a TicketEditor" function needs besides the editor. A single
 * operation resolves ids against the index; `batch` also resolves "@ref" placeholders
 * of tickets it created earlier in the same commit.
 */
export interface ApplyEnv {
  /** A ticket id as typed (full id or unique prefix; in a batch also "@ref") → the full id. */
  resolve(input: string): string;
  /** Who is acting; a getter, so operations that never need it never ask git. */
  readonly user: string;
}

/** What one applied operation did: the commit subject it would use, the tickets it touched. */
export interface Applied<T> {
  subject: string;
  ids: string[];
  value: T;
}

/**
 * The target of a relation (`blocks`, `related`): `NAME:ID` names a ticket of another
 * workspace store and is kept as written (docs/workspaces.md); anything else is resolved.
 */
export function resolveTarget(env: ApplyEnv, input: string): string {
  return isCrossRef(input) ? input.trim() : env.resolve(input);
}

/** The environment of a stand-alone operation, resolved against the editor's index. */
export function editorEnv(ed: TicketEditor, ctx: OpContext): ApplyEnv {
  return {
    resolve: (input) => resolveId(ed.index.db, input),
    get user() {
      return ctx.user();
    },
  };
}
