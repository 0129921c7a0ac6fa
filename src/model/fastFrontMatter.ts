/**
 * A fast reader for the plain front matter Tack itself writes (`key: value`,
 * `key: [a, b]`, simple quoted strings, one level of `key: value` maps), used when indexing
 * thousands of files. Anything outside that subset (comments, deeper nesting, multi-line values, escapes, YAML types other
 * than strings, integers, decimals, booleans and null) returns null, and the caller uses
 * the full YAML parser: the answer is always the one `yaml` would give.
 */
type Scalar = string | number | boolean | null;

// The value is trimmed by hand: `[ \t]+(.*?)[ \t]*$` backtracks quadratically on long runs of blanks.
const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*):([ \t].*)?$/;
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

function value(rest: string | undefined): unknown {
  const raw = trimBlanks(rest ?? '');
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
      const m = KEY_LINE.exec(line.slice(indent.length));
      if (!nested) {
        nested = { map: {}, indent };
        out[open] = nested.map;
      }
      if (!m || Object.hasOwn(nested.map, m[1]) || m[1] === '__proto__' || ++keys > maxKeys) return null;
      const v = value(m[2]);
      // An empty value could open a deeper map: left to the full parser.
      if (v === undefined || trimBlanks(m[2] ?? '') === '') return null;
      nested.map[m[1]] = v;
      continue;
    }
    open = null;
    nested = null;
    const m = KEY_LINE.exec(line);
    if (!m || Object.hasOwn(out, m[1]) || m[1] === '__proto__' || ++keys > maxKeys) return null;
    const v = value(m[2]);
    if (v === undefined) return null;
    // Only an empty value opens a map (`k: null` followed by indented lines is an error).
    if (trimBlanks(m[2] ?? '') === '') open = m[1];
    out[m[1]] = v;
  }
  return out;
}
