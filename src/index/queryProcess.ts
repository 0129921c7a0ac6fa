/**
 * Entry of the child process that runs one read-only SQL query (dist/queryProcess.cjs).
 * SQLite cannot be interrupted from JavaScript mid-statement, so a query that must be
 * stoppable runs here, where the parent can kill it; see boundedQuery.ts.
 */
import { isTackError } from '../model/errors.js';
import type { Index } from './indexDb.js';
import { queryReadOnly } from './sqlConsole.js';

export interface QueryRequest {
  path: string;
  sql: string;
  params: unknown[];
}

export type QueryReply =
  | { rows: unknown[] }
  | { error: { code: string; message: string; details?: Record<string, unknown> } };

function answer(req: QueryRequest): QueryReply {
  try {
    // queryReadOnly opens its own read-only connection on a file index: only the path is used.
    return { rows: queryReadOnly({ path: req.path } as Index, req.sql, req.params) };
  } catch (e) {
    if (isTackError(e)) return { error: e.toJSON() };
    return { error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } };
  }
}

process.once('message', (req: QueryRequest) => {
  process.send!(answer(req), () => process.disconnect());
});
