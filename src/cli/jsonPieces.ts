import { RowList } from '../ops/rowList.js';

/**
 * The text `JSON.stringify(value, null, 2)` gives, in pieces: the answer's keys and the rows
 * of its lists one at a time, a RowList's as they are read, so that a write answering 34,000
 * tickets never holds its 19 MB of JSON as one string (nor its rows, when they come as a RowList).
 */
export function* jsonPieces(value: unknown, indent = '', depth = 0): Generator<string> {
  const list = Array.isArray(value) ? value : value instanceof RowList ? value.read() : null;
  // Opened: the answer, and a list that is the answer or one of its keys; a row is one piece.
  if (!(list ? depth <= 1 : depth === 0 && plainObject(value))) {
    // Nothing that has no JSON comes here but a whole answer, which prints as `${value}` did.
    const text = JSON.stringify(value, null, 2) ?? String(value);
    yield indent ? text.replace(/\n/g, `\n${indent}`) : text;
    return;
  }
  const inner = `${indent}  `;
  let n = 0;
  for (const [key, v] of list ? unkeyed(list) : Object.entries(value as object)) {
    // As JSON.stringify: an object leaves out what has no JSON; a list says null for it.
    const none = v === undefined || typeof v === 'function' || typeof v === 'symbol';
    if (none && key !== null) continue;
    yield `${n++ ? ',\n' : list ? '[\n' : '{\n'}${inner}${key === null ? '' : `${JSON.stringify(key)}: `}`;
    if (none) yield 'null';
    else yield* jsonPieces(v, inner, depth + 1);
  }
  const [open, close] = list ? ['[', ']'] : ['{', '}'];
  yield n ? `\n${indent}${close}` : `${open}${close}`;
}

/** A list's items (a hole is undefined, as for JSON.stringify), each with no key. */
function* unkeyed(list: Iterable<unknown>): Generator<[null, unknown]> {
  for (const v of list) yield [null, v];
}

/** An object with no toJSON of its own and no prototype but Object's: written key by key. */
function plainObject(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}
