import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TackError } from '../model/errors.js';
import { jsonLines } from '../model/jsonLines.js';
import { readStdin, stdinIsTTY } from './output.js';

/**
 * Text a command takes from a FILE argument, or from stdin for "-" or no argument. A
 * terminal on stdin with no argument is refused rather than waited on forever.
 */
export function readInputText(file: unknown, cwd: string, usage: string): { text: string; source: string } {
  if (typeof file === 'string' && file !== '-') {
    const path = resolve(cwd, file);
    try {
      return { text: readFileSync(path, 'utf8'), source: file };
    } catch (e) {
      throw new TackError(
        'not_found',
        `cannot read ${file}: ${(e as Error).message}; expected a readable file (or - for stdin)`,
        { path },
      );
    }
  }
  if (file === undefined && stdinIsTTY()) {
    throw new TackError(
      'invalid_input',
      `${usage}: expected a FILE argument or input piped on stdin; received a terminal (use "-" to type it in)`,
    );
  }
  try {
    return { text: readStdin(), source: 'stdin' };
  } catch (e) {
    throw new TackError('invalid_input', `${usage}: could not read stdin: ${(e as Error).message}`);
  }
}

function asItem(v: unknown, where: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new TackError(
      'invalid_input',
      `${where}: expected a JSON object like {"op":"create","title":"…"}; received ${JSON.stringify(v)?.slice(0, 60)}`,
    );
  }
  return v as Record<string, unknown>;
}

/** A JSON array of objects, one JSON object, or JSON lines (blank lines skipped). */
export function parseJsonItems(text: string, source: string): Array<Record<string, unknown>> {
  const trimmed = text.trim();
  if (!trimmed)
    throw new TackError('invalid_input', `${source} is empty; expected a JSON array or JSON lines of operations`);
  try {
    const v = JSON.parse(trimmed) as unknown;
    return (Array.isArray(v) ? v : [v]).map((x, i) => asItem(x, `${source}: item ${i + 1}`));
  } catch (e) {
    if ((e as TackError).name === 'TackError') throw e;
    if (trimmed.startsWith('['))
      throw new TackError('invalid_input', `${source}: invalid JSON: ${(e as Error).message}`);
  }
  const notJson = (line: number, e: Error) => {
    throw new TackError('invalid_input', `${source}:${line}: invalid JSON: ${e.message}`, { line });
  };
  const items = jsonLines(text, notJson).map(({ line, value }) => asItem(value, `${source}:${line}`));
  return items;
}
