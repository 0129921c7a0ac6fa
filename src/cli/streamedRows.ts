import type { OpContext, OpDef } from '../ops/op.js';
import { RowList } from '../ops/rowList.js';
import { jsonPieces } from './jsonPieces.js';
import { writeSized } from './streamedAnswer.js';

/**
 * A read's whole answer (`--limit 0`) written as its rows are read, so that one of 100,000
 * tickets is never held (OpDef.rows). `read` reads the rows from the start each time it is
 * called. The terminal decides how it is shown (a pipe gets renderedRows' text).
 */
export class StreamedRows {
  constructor(readonly read: () => Iterable<unknown>) {}

  /** `--json`: the very text `JSON.stringify(rows, null, 2)` gives, a row at a time. */
  writeJson(write: (text: string) => void): void {
    for (const piece of writeSized(jsonPieces(new RowList(this.read)))) write(piece);
    write('\n');
  }

  /** Every row (a terminal pages the answer: that needs it whole). */
  whole(): unknown[] {
    return [...this.read()];
  }
}

/** A read asked for every row that can give them as they are read (wholeRowsOf): an answer written as it comes. */
export async function wholeRows(op: OpDef, ctx: OpContext, input: unknown): Promise<StreamedRows | undefined> {
  // Most commands are not such a read: they load nothing for it (every command's start-up counts).
  if (!op.rows || (input as { limit?: unknown }).limit !== 0) return undefined;
  const { wholeRowsOf } = await import('../ops/runOp.js');
  const rows = await wholeRowsOf(ctx, op, input, true);
  return rows && new StreamedRows(() => rows.source.read(undefined, rows.offset));
}
