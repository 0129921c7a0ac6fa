import { z } from 'zod';
import type { Index } from '../index/indexDb.js';
import type { OpContext } from './op.js';

export const atRev = z.string().min(1).optional().describe('read the tracker as it was at a revision (e.g. tack~5)');
export const limit = z.number().int().positive().optional().describe('at most this many');

/** The live index, or a snapshot at `at`. */
export function readIndex(ctx: OpContext, at: string | undefined): Promise<Index> {
  return at ? ctx.indexAt(at) : ctx.index();
}
