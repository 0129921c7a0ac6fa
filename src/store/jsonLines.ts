import { readFileSync } from 'node:fs';

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
  const out: T[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // torn line
    }
  }
  return out;
}
