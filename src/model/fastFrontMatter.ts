/**
 * A fast reader for the plain front matter Tack itself writes (`key: value`,
 * `key: [a, b]`, simple quoted strings, one level of `key: value` maps), used when indexing
 * thousands of files. Anything outside that subset (comments, deeper nesting, multi-line values, escapes, YAML types other
 * than strings, integers, decimals, booleans and null) returns null, and the caller uses
 * the full YAML parser: the answer is always the one `yaml` would give.
 */
type Scalar = string | number | boolean | null;

// What `.` in a regular expression does not match: a line holding one is not a key line.
const LINE_BREAK = /[\r\u2028\u2029]/;

const isKeyStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; // A-Z a-z _
const isKeyChar = (c: number) => isKeyStart(c) || (c >= 48 && c <= 57) || c === 45; // and 0-9 -

/**
 * A key line, `key:` or `key: value` (as /^([A-Za-z_][A-Za-z0-9_-]*):([ \t].*)?$/ reads it):
 * the key and what follows the colon (undefined: nothing), or null. Read by hand: the regular
 * expression's match arrays were 6 % of what a full build at 100,000 tickets allocated. The
 * value is trimmed by the caller: `[ \t]+(.*?)[ \t]*$` backtracks quadratically on blanks.
 */
export function keyLine(line: string): { key: string; rest: string | undefined } | null {
  if (!isKeyStart(line.charCodeAt(0))) return null;
  let at = 1;
  while (at < line.length && line.charCodeAt(at) !== 58 /* : */) {
    if (!isKeyChar(line.charCodeAt(at))) return null;
    at++;
  }
  if (at === line.length) return null;
  const after = line.charCodeAt(at + 1);
  if (at + 1 < line.length && after !== 32 && after !== 9) return null;
  if (LINE_BREAK.test(line)) return null;
  return { key: line.slice(0, at), rest: at + 1 < line.length ? line.slice(at + 1) : undefined };
}
// A plain scalar that cannot be anything but itself: no indicators, no ": " or " #".
const SAFE_PLAIN = /^[A-Za-z0-9_./+()$^=~<-](?:[^:#[\]{},"'`|>&*!%\\]|:(?=\S))*$/;
// ISO dates and times are plain strings in YAML 1.2's core schema (no timestamp type).
const ISO_TIME = /^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?)?$/;
const INT = /^-?(0|[1-9][0-9]{0,14})$/;
const DECIMAL = /^-?(0|[1-9][0-9]{0,14})\.[0-9]{1,15}$/;
const NUMERIC_LOOKING = /^[-+]?(\.|[0-9])|^[-+]?\.(inf|nan)$/i;
const SPECIAL_WORDS = /^(true|false|null|~|y|n|yes|no|on|off)$/i;

export function plain(raw: string): Scalar | undefined {
  if (!SAFE_PLAIN.test(raw) || raw.endsWith(':') || raw === '-' || /^-[ \t]/.test(raw)) return undefined;
  if (ISO_TIME.test(raw)) return raw;
  if (INT.test(raw) || DECIMAL.test(raw)) return Number(raw);
  if (NUMERIC_LOOKING.test(raw)) return undefined; // 1e3, 0x1f, 1_000, .5: let yaml decide
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null' || raw === '~') return null;
  if (SPECIAL_WORDS.test(raw)) return undefined;
  return raw;
}

function scalar(raw: string): Scalar | undefined {
  if (raw.length >= 2 && raw[0] === '"' && raw.endsWith('"')) {
    const inner = raw.slice(1, -1);
    return /["\\]/.test(inner) ? undefined : inner;
  }
  if (raw.length >= 2 && raw[0] === "'" && raw.endsWith("'")) {
    const inner = raw.slice(1, -1);
    return inner.includes("'") ? undefined : inner;
  }
  return plain(raw);
}

function flowList(raw: string): Scalar[] | undefined {
  const inner = raw.slice(1, -1).trim();
  if (inner === '') return [];
  const out: Scalar[] = [];
  for (const part of inner.split(',')) {
    const item = part.trim();
    if (item === '' || item.startsWith('"') || item.startsWith("'")) return undefined;
    const v = plain(item);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

function trimBlanks(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s[a] === ' ' || s[a] === '\t')) a++;
  while (b > a && (s[b - 1] === ' ' || s[b - 1] === '\t')) b--;
  return s.slice(a, b);
}

/** A key's value from what follows its colon, already trimmed (`trimBlanks`). */
function value(raw: string): unknown {
  if (raw === '') return null;
  if (raw.startsWith('[')) return raw.endsWith(']') ? flowList(raw) : undefined;
  return scalar(raw);
}

/**
 * `maxKeys`: more keys than that is not plain (the full parser reports the limit). One level
 * of nesting is read (`beads:` then `  id: bd-12` lines, one indent of spaces, each a
 * `key: value` with a value): what importers keep of a source's extra fields.
 */
export function fastFrontMatter(yaml: string, maxKeys = Infinity): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  let keys = 0;
  // The key whose value was empty (its map may follow), and that map once it does.
  let open: string | null = null;
  let nested: { map: Record<string, unknown>; indent: string } | null = null;
  for (const full of yaml.split('\n')) {
    const line = full.endsWith('\r') ? full.slice(0, -1) : full;
    if (line.trim() === '') continue;
    if (line.startsWith(' ')) {
      const indent = /^ +/.exec(line)![0];
      if (open === null || (nested && nested.indent !== indent)) return null;
      const m = keyLine(line.slice(indent.length));
      if (!nested) {
        nested = { map: {}, indent };
        out[open] = nested.map;
      }
      if (!m || Object.hasOwn(nested.map, m.key) || m.key === '__proto__' || ++keys > maxKeys) return null;
      const raw = trimBlanks(m.rest ?? '');
      // An empty value could open a deeper map: left to the full parser.
      if (raw === '') return null;
      const v = value(raw);
      if (v === undefined) return null;
      nested.map[m.key] = v;
      continue;
    }
    open = null;
    nested = null;
    const m = keyLine(line);
    if (!m || Object.hasOwn(out, m.key) || m.key === '__proto__' || ++keys > maxKeys) return null;
    const raw = trimBlanks(m.rest ?? '');
    const v = value(raw);
    if (v === undefined) return null;
    // Only an empty value opens a map (`k: null` followed by indented lines is an error).
    if (raw === '') open = m.key;
    out[m.key] = v;
  }
  return out;
}
