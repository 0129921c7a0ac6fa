/**
 * A list in an answer that is read when it is written: a CLI write of 34,000 tickets answers
 * with their rows, which the CLI writes one at a time (jsonPieces) instead of holding ~50 MiB
 * of row objects and their text. Given only to a surface that asks for it
 * (OpContext.streamRows); JSON.stringify reads it whole (toJSON), as an array.
 */
export class RowList<T> {
  /** `read` reads the rows from the start each time it is called. */
  constructor(readonly read: () => Iterable<T>) {}

  toJSON(): T[] {
    return [...this.read()];
  }
}

/** The answer with each RowList among its keys read into an array (a terminal's page needs it whole). */
export function rowsRead<T>(answer: T): T {
  if (!answer || typeof answer !== 'object' || Array.isArray(answer)) return answer;
  const lists = Object.entries(answer).filter(([, v]) => v instanceof RowList);
  if (lists.length === 0) return answer;
  const out = { ...answer } as Record<string, unknown>;
  for (const [k, v] of lists) out[k] = (v as RowList<unknown>).toJSON();
  return out as T;
}
