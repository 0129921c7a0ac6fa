import { parse } from 'csv-parse/sync';
import { TackError } from '../model/errors.js';

/** A CSV file as its header row and its rows, cells as text (never evaluated). */
export interface CsvTable {
  header: string[];
  rows: string[][];
}

/**
 * Parse an export's CSV. Columns are kept by position, not name: Jira repeats a header
 * once per value (`Labels`, `Labels`, `Comment`, ...), which a name-keyed parse would
 * collapse. A malformed file is refused with the parser's line and reason.
 */
export function readCsv(text: string, what: string): CsvTable {
  let rows: string[][];
  try {
    rows = parse(text, { columns: false, bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    throw new TackError('invalid_input', `not ${what}: ${(e as Error).message}`);
  }
  const [header, ...body] = rows;
  if (!header?.length) throw new TackError('invalid_input', `not ${what}: the file is empty; expected a header row`);
  return { header: header.map((h) => h.trim()), rows: body };
}

/** Column positions of a header name (every one, for repeated headers). */
export function columns(t: CsvTable, name: string): number[] {
  const out: number[] = [];
  t.header.forEach((h, i) => {
    if (h.toLowerCase() === name.toLowerCase()) out.push(i);
  });
  return out;
}

/** Refuse a table without the columns an importer cannot work without. */
export function requireColumns(t: CsvTable, names: string[], what: string): void {
  const missing = names.filter((n) => columns(t, n).length === 0);
  if (missing.length)
    throw new TackError(
      'invalid_input',
      `not ${what}: missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => JSON.stringify(m)).join(', ')}; the header has ${JSON.stringify(t.header.slice(0, 12))}`,
    );
}

/** A row's cells for a header: the first (`one`) or every non-empty one (`all`). */
export function cellsOf(t: CsvTable, row: string[]) {
  const one = (name: string): string => {
    const i = columns(t, name)[0];
    return i === undefined ? '' : (row[i] ?? '').trim();
  };
  const all = (name: string): string[] =>
    columns(t, name)
      .map((i) => (row[i] ?? '').trim())
      .filter((v) => v !== '');
  return { one, all };
}

/** Every other non-empty column of a row, by header (repeated headers as lists): what the importer keeps verbatim. */
export function otherCells(t: CsvTable, row: string[], used: Set<string>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  t.header.forEach((h, i) => {
    const v = (row[i] ?? '').trim();
    if (v === '' || used.has(h.toLowerCase())) return;
    const have = out[h];
    out[h] = have === undefined ? v : Array.isArray(have) ? [...have, v] : [have, v];
  });
  return out;
}
