import { z } from 'zod';
import type { Index } from '../index/indexDb.js';
import type { OpContext } from './op.js';
import { boundInput, boundOf } from './page.js';

export const atRev = z.string().min(1).optional().describe('read the tracker as it was at a revision (e.g. tack~5)');
/** Which store of a workspace a read is of (see `tack workspace`). */
export const storeInput = z
  .string()
  .min(1)
  .optional()
  .describe('only tickets of this workspace store: local or a member name (see `tack workspace`)');
export const limit = z.number().int().positive().optional().describe('at most this many');

/** A commit of an import touches thousands of tickets: its first ones stand for it. */
const TICKETS_PER_COMMIT = 20;

export const ticketsPerCommit = boundInput(
  `at most this many tickets named per commit (default ${TICKETS_PER_COMMIT}; 0: all)`,
);

/** The tickets a commit names: the bound asked for, or the default (undefined: all). */
export function perCommit(asked: number | undefined): number | undefined {
  return boundOf(asked, TICKETS_PER_COMMIT);
}

/** The live index, or a snapshot at `at`. */
export function readIndex(ctx: OpContext, at: string | undefined): Promise<Index> {
  return at ? ctx.indexAt(at) : ctx.index();
}
