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
  const out: JsonLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i];
    if (!t.trim()) continue;
    try {
      out.push({ line: i + 1, value: JSON.parse(t), text: t });
    } catch (e) {
      bad(i + 1, e as Error, t);
    }
  }
  return out;
}
