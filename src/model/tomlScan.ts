import { TackError } from './errors.js';

/**
 * The structure of a TOML file, read without evaluating it: which tables its headers open
 * and which keys it assigns, with where each one is, so that a tool can add a few keys and
 * leave every other byte as it was. Values are skipped, not decoded (strings, arrays and
 * inline tables are followed only to find where they end), so text in a string, such as a
 * `[table]` line inside a multi-line string, is never mistaken for structure.
 */
export interface TomlHeader {
  path: string[];
  /** `[[path]]`: an array of tables. */
  array: boolean;
  /** Offset just past the header's line (its newline included, when it has one). */
  lineEnd: number;
}

export interface TomlAssignment {
  /** The key's full path: the table it is in, then its dotted key. */
  path: string[];
  /** The path of the table header it is under ([] before any header). */
  table: string[];
  /** The value's span in the text. */
  start: number;
  end: number;
  /** For an inline table: its own keys (first segment each); null for any other value. */
  inline: string[] | null;
}

export interface TomlScan {
  headers: TomlHeader[];
  assignments: TomlAssignment[];
}

const BARE_KEY = /[A-Za-z0-9_-]/;
const ESCAPES: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };

/** A TOML basic string holding `s` exactly: quotes, backslashes and control characters escaped. */
export function tomlString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\b') out += '\\b';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

class Reader {
  pos = 0;
  constructor(
    readonly text: string,
    readonly file: string,
  ) {}

  fail(what: string): never {
    const line = this.text.slice(0, this.pos).split('\n').length;
    throw new TackError(
      'invalid_input',
      `${this.file}:${line}: ${what}; expected TOML — fix it by hand, then run this again (nothing was written)`,
      { path: this.file, line },
    );
  }

  peek(n = 1): string {
    return this.text.slice(this.pos, this.pos + n);
  }

  /** Spaces and tabs; with `lines`, newlines and comments too. */
  skip(lines: boolean): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t') this.pos++;
      else if (lines && (c === '\n' || (c === '\r' && this.text[this.pos + 1] === '\n'))) this.pos++;
      else if (lines && c === '#') this.comment();
      else return;
    }
  }

  comment(): void {
    while (this.pos < this.text.length && this.text[this.pos] !== '\n') this.pos++;
  }

  /** The rest of a line after a statement: a comment at most, then a newline or the end. */
  endOfLine(): void {
    this.skip(false);
    if (this.text[this.pos] === '#') this.comment();
    if (this.peek(2) === '\r\n') this.pos += 2;
    else if (this.text[this.pos] === '\n') this.pos++;
    else if (this.pos < this.text.length) this.fail(`unexpected ${JSON.stringify(this.text[this.pos])} after a value`);
  }

  /** A one-line string (after its opening quote); the decoded text for a basic one. */
  shortString(quote: string): string {
    let out = '';
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined || c === '\n') this.fail('a string is not closed on its line');
      this.pos++;
      if (c === quote) return out;
      if (quote === '"' && c === '\\') {
        const e = this.text[this.pos++];
        if (e === 'u' || e === 'U') {
          const n = e === 'u' ? 4 : 8;
          const hex = this.text.slice(this.pos, this.pos + n);
          if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== n) this.fail('a bad \\u escape in a string');
          const cp = Number.parseInt(hex, 16);
          if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) this.fail('a \\u escape that is not a character');
          out += String.fromCodePoint(cp);
          this.pos += n;
        } else if (e in ESCAPES) out += ESCAPES[e];
        else this.fail(`a bad escape \\${e ?? ''} in a string`);
      } else out += c;
    }
  }

  /** A multi-line string (after its opening triple quote). */
  longString(quote: string): void {
    const close = quote.repeat(3);
    for (;;) {
      if (this.pos >= this.text.length) this.fail('a multi-line string is not closed');
      if (quote === '"' && this.text[this.pos] === '\\') this.pos += 2;
      else if (this.peek(3) === close) {
        this.pos += 3;
        // Up to two more quotes belong to the content: `""""` ends with one quote inside.
        for (let i = 0; i < 2 && this.text[this.pos] === quote; i++) this.pos++;
        return;
      } else this.pos++;
    }
  }

  keySegment(): string {
    const c = this.text[this.pos];
    if (c === '"' || c === "'") {
      this.pos++;
      return this.shortString(c);
    }
    const start = this.pos;
    while (this.pos < this.text.length && BARE_KEY.test(this.text[this.pos])) this.pos++;
    if (this.pos === start) this.fail(`a key was expected, found ${JSON.stringify(c ?? 'the end')}`);
    return this.text.slice(start, this.pos);
  }

  key(): string[] {
    const out = [this.keySegment()];
    for (;;) {
      this.skip(false);
      if (this.text[this.pos] !== '.') return out;
      this.pos++;
      this.skip(false);
      out.push(this.keySegment());
    }
  }

  /** Skip one value; an inline table's keys are returned. */
  value(): string[] | null {
    const c = this.text[this.pos];
    if (this.peek(3) === '"""' || this.peek(3) === "'''") {
      this.pos += 3;
      this.longString(c);
    } else if (c === '"' || c === "'") {
      this.pos++;
      this.shortString(c);
    } else if (c === '[') this.array();
    else if (c === '{') return this.inlineTable();
    else {
      // A number, boolean or date; a date-time may have a space before its time.
      const m = /^[A-Za-z0-9_:.+-]+(?: \d[0-9:.+Zz-]*)?/.exec(this.text.slice(this.pos, this.pos + 256));
      if (!m) this.fail('a value was expected');
      this.pos += m[0].length;
    }
    return null;
  }

  array(): void {
    this.pos++;
    for (;;) {
      this.skip(true);
      if (this.text[this.pos] === ']') break;
      this.value();
      this.skip(true);
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== ']') this.fail('an array is not closed');
    }
    this.pos++;
  }

  inlineTable(): string[] {
    this.pos++;
    const keys: string[] = [];
    for (;;) {
      this.skip(true);
      if (this.text[this.pos] === '}') break;
      keys.push(this.key()[0]);
      this.skip(false);
      if (this.text[this.pos++] !== '=') this.fail('"=" was expected after a key');
      this.skip(false);
      this.value();
      this.skip(true);
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== '}') this.fail('an inline table is not closed');
    }
    this.pos++;
    return keys;
  }
}

/** Read the structure of a TOML file (`file` names it in errors); text that is not TOML is refused with its line. */
export function scanToml(text: string, file: string): TomlScan {
  const r = new Reader(text, file);
  const out: TomlScan = { headers: [], assignments: [] };
  let table: string[] = [];
  for (;;) {
    r.skip(true);
    if (r.pos >= text.length) return out;
    if (text[r.pos] === '[') {
      const array = r.peek(2) === '[[';
      r.pos += array ? 2 : 1;
      r.skip(false);
      table = r.key();
      if (r.peek(array ? 2 : 1) !== (array ? ']]' : ']')) r.fail('a table header is not closed');
      r.pos += array ? 2 : 1;
      r.endOfLine();
      out.headers.push({ path: table, array, lineEnd: r.pos });
      continue;
    }
    const key = r.key();
    if (text[r.pos++] !== '=') r.fail('"=" was expected after a key');
    r.skip(false);
    const start = r.pos;
    const inline = r.value();
    out.assignments.push({ path: [...table, ...key], table, start, end: r.pos, inline });
    r.endOfLine();
  }
}
