/** One non-blank line of a JSON-lines text, parsed. */
export interface JsonLine {
  /** 1-based line number, for error messages. */
  line: number;
  value: unknown;
  text: string;
}

/**
 * The parsed lines of a JSON-lines text (blank lines skipped). What a line that is not JSON
 * means depends on the reader: an error naming the line for an import or a batch (`bad`
 * throws), a torn last line for an append-only log (`bad` ignores it).
 */
export function jsonLines(text: string, bad: (line: number, error: Error, text: string) => void): JsonLine[] {
  return Array.from(eachJsonLine(text.split('\n'), bad));
}

/** jsonLines one line at a time, from lines given one at a time (a file too large to hold as one text). */
export function* eachJsonLine(
  lines: Iterable<string>,
  bad: (line: number, error: Error, text: string) => void,
): Generator<JsonLine> {
  let n = 0;
  for (const t of lines) {
    n++;
    if (!t.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(t);
    } catch (e) {
      bad(n, e as Error, t);
      continue;
    }
    yield { line: n, value, text: t };
  }
}
