import { readFileSync } from 'node:fs';
import { jsonLines } from '../model/jsonLines.js';

/**
 * The records of a JSON-lines file (the trigger spool, the delivery log); a missing file
 * has none. A line that does not parse is skipped: it is the torn last line of a writer
 * killed mid-append, which never got to deliver or log anything.
 */
export function readJsonLines<T>(file: string): T[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  // A line that does not parse is the torn last line of a writer killed mid-append.
  return jsonLines(text, () => {}).map((l) => l.value as T);
}
