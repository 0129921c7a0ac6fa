import { plain } from './fastFrontMatter.js';

/**
 * The front matter of a new ticket written without the YAML library, when every field is
 * a value whose YAML text is beyond doubt: a plain string, a safe integer, a boolean, or a
 * flow list of plain strings. A new file has no formatting to keep, and loading `yaml`'s
 * Document API is most of a `create`'s own work. The text is the one `yaml` writes with
 * Tack's options (a property test compares the two); anything else returns null and the
 * caller builds a Document.
 */
export type PlainFields = Array<[string, string | number | boolean | string[]]>;

const KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const SPECIAL_WORDS = /^(true|false|null|y|n|yes|no|on|off)$/i;
// Printable ASCII with nothing blank at either end: yaml quotes or escapes the rest.
const PRINTABLE = /^[!-~](?:[ -~]*[!-~])?$/;

/** Whether `yaml` writes `s` as a plain scalar that reads back as the same string. */
function plainString(s: string): boolean {
  // A line starting with a document marker makes yaml choose a block scalar.
  return PRINTABLE.test(s) && !/^(---|\.\.\.)/.test(s) && plain(s) === s;
}

function plainValue(value: unknown): string | number | boolean | string[] | undefined {
  if (typeof value === 'string') return plainString(value) ? value : undefined;
  if (typeof value === 'number') return Number.isSafeInteger(value) && !Object.is(value, -0) ? value : undefined;
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' && plainString(v))) return [...value];
  return undefined;
}

const isEmpty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0);

/**
 * The fields in the order the codec's setField puts them into an empty document (a new
 * key goes before the first of `tailKeys`, unless it is one), or null when one of them is
 * not plain, a key repeats, or nothing is left (yaml writes `{}` then).
 */
export function plainFields(fields: Array<[string, unknown]>, tailKeys: string[]): PlainFields | null {
  const out: PlainFields = [];
  const seen = new Set<string>();
  for (const [key, value] of fields) {
    if (seen.has(key) || !KEY.test(key) || SPECIAL_WORDS.test(key) || key === '__proto__') return null;
    seen.add(key);
    if (isEmpty(value)) continue;
    const v = plainValue(value);
    if (v === undefined) return null;
    const tail = tailKeys.includes(key) ? -1 : out.findIndex(([k]) => tailKeys.includes(k));
    if (tail >= 0) out.splice(tail, 0, [key, v]);
    else out.push([key, v]);
  }
  return out.length > 0 ? out : null;
}

/** The YAML text of plain fields, as `yaml` writes it (no padding in flow lists, no folding). */
export function plainYaml(fields: PlainFields): string {
  let out = '';
  for (const [k, v] of fields) out += `${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}\n`;
  return out;
}
