import { describe, expect, it } from 'vitest';
import { isTackError } from '../src/model/errors.js';
import { YAML_LIMITS, parseYamlFile } from '../src/model/boundedYaml.js';
import { parseTicketData, parseTicketFile } from '../src/model/ticketCodec.js';
import { parseBlob } from '../src/index/ticketRows.js';

/*
 * Thousands of generated broken ticket files through the one reader every path uses. Each
 * case: a refused file is a parse_error naming the file and the line, never a stack trace,
 * in bounded time; a file that is accepted yields data the index can store; the index's
 * parseBlob never throws.
 */

const PATH = 'tickets/tk-h0st1le0.md';
const FIELDS = [
  'id: tk-h0st1le0',
  'title: A hostile ticket',
  'type: task',
  'status: todo',
  'priority: none',
  'labels: [a, b]',
  'created: 2026-11-21T10:02:11Z',
  'updated: 2026-11-21T10:02:11Z',
];
const BODY =
  'The description.\n\n## Comments\n\n<!-- comment id="c-1" author="a" created="2026-11-21T10:02:11Z" -->\n**a** · 2026-11-21 10:02 UTC\n\nhi\n';

/** Deterministic: a failure names its seed and case. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  name: string;
  input: string | Uint8Array;
  /** true: must be refused; a number: refused at exactly that file line. */
  refuse?: true | number;
}

/** A ticket with `lines` inserted among the fields at field index `at`; returns the file line of the first. */
function withLines(extra: string[], at: number, body = BODY): { text: string; line: number } {
  const fields = [...FIELDS];
  fields.splice(at, 0, ...extra);
  return { text: `---\n${fields.join('\n')}\n---\n${body}`, line: 2 + at };
}

function bomb(levels: number, width: number): string[] {
  const out = ['l0: &l0 [lol, lol, lol]'];
  for (let i = 1; i < levels; i++)
    out.push(`l${i}: &l${i} [${Array.from({ length: width }, () => `*l${i - 1}`).join(', ')}]`);
  return out;
}

const TAGS = [
  '!!set',
  '!!binary',
  '!foo',
  '!!str',
  '!!map',
  '!!seq',
  '!!python/object:os.system',
  '!<tag:yaml.org,2002:str>',
  '!e!x',
  '!!omap',
  '!!int',
  '!!timestamp',
];

function generate(): Case[] {
  const r = rng(12);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const at = () => Math.floor(r() * (FIELDS.length + 1));
  const cases: Case[] = [];
  const add = (name: string, extra: string[], refuse: true | 'line', body?: string) => {
    const w = withLines(extra, at(), body);
    cases.push({ name, input: w.text, refuse: refuse === 'line' ? w.line : true });
  };
  for (let i = 0; i < 150; i++) {
    const a = `a${i % 7}`;
    add(
      'self alias',
      [pick([`x: &${a} [*${a}]`, `x: &${a} {k: *${a}}`, `x: &${a} [[[*${a}]]]`, `x: &${a} [a, {b: *${a}}]`])],
      'line',
    );
    const tag = pick(TAGS);
    add(
      `tag ${tag}`,
      [pick([`x: ${tag} aGVsbG8=`, `x: [1, ${tag} v]`, `${tag} k: v`, `x:\n  y: ${tag} {a: 1}`])],
      true,
    );
    add('unknown alias', [`x: *nope${i}`], 'line');
    add('collection key', [pick(['? [a, b]\n: 1', '? {a: 1}\n: 2', '[a]: 1', '{a: 1}: 2'])], true);
    add('duplicate key', [pick(['title: again', 'status: done', 'labels: []'])], true);
    add('not a field map', [], true);
    cases[cases.length - 1].input = pick([
      '---\n- a\n- b\n---\n',
      '---\njust text\n---\n',
      '---\n"q"\n---\n',
      '---\n[a, b]\n---\n',
    ]);
    add('two documents', ['...', 'x: 1'], true);
  }
  for (let i = 0; i < 150; i++) {
    const levels = 3 + Math.floor(r() * 8);
    const width = 4 + Math.floor(r() * 12);
    // Wide and deep enough to blow up: the alias count or the expanded size gives.
    if (i < 30 && (width ** (levels - 1) * 3 > YAML_LIMITS.values || (levels - 1) * width > YAML_LIMITS.aliases))
      add(`alias bomb ${levels}x${width}`, bomb(levels, width), true);
    const depth = YAML_LIMITS.depth + 1 + Math.floor(r() * (i < 10 ? 20000 : 500));
    add(`flow nesting ${depth}`, [`x: ${'['.repeat(depth)}${']'.repeat(depth)}`], true);
    add(`unclosed flow nesting ${depth}`, [`x: ${'{a: '.repeat(depth)}`], true);
    if (i >= 8) continue; // the rest each cost a full parse of a large document
    const block = YAML_LIMITS.depth + 1 + Math.floor(r() * 60);
    add(
      `block nesting ${block}`,
      [`${Array.from({ length: block }, (_, d) => `${' '.repeat(d)}k${d}:`).join('\n')} v`],
      true,
    );
    add(
      'too many anchors',
      Array.from({ length: YAML_LIMITS.anchors + 1 + (i % 5) }, (_, k) => `n${k}: &n${k} v`),
      true,
    );
    add(
      'too many keys',
      [`x:\n${Array.from({ length: YAML_LIMITS.keys + 1 }, (_, k) => `  k${k}: ${k}`).join('\n')}`],
      true,
    );
  }
  for (let i = 0; i < 150; i++) {
    const w = withLines([`x: va${'l'.repeat(i)}ue`], at());
    const pos = w.text.indexOf('x: va') + 3 + Math.floor(r() * 3);
    cases.push({ name: 'NUL in front matter', input: `${w.text.slice(0, pos)}\0${w.text.slice(pos)}`, refuse: w.line });
    const bodyNul = `---\n${FIELDS.join('\n')}\n---\nline\n${'x'.repeat(i)}\0\n`;
    cases.push({ name: 'NUL in body', input: bodyNul, refuse: FIELDS.length + 4 });
    const bad = pick([
      [0x80],
      [0xc0, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf5, 0x80, 0x80, 0x80],
      [0xe2, 0x82],
      [0xff],
      [0xfe, 0xff],
    ]);
    const enc = new TextEncoder();
    const before = enc.encode(w.text.slice(0, pos));
    const after = enc.encode(w.text.slice(pos));
    cases.push({
      name: `invalid UTF-8 ${bad.map((b) => b.toString(16)).join(' ')}`,
      input: new Uint8Array([...before, ...bad, ...after]),
      refuse: w.line,
    });
    const binary = Uint8Array.from({ length: 64 + i * 13 }, (_, k) =>
      k < 8 ? [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a][k] : Math.floor(r() * 256),
    );
    cases.push({ name: 'binary (PNG-like)', input: binary, refuse: true });
    const cut = 1 + Math.floor(r() * (w.text.indexOf('\n---\n') + 3));
    cases.push({ name: `truncated at ${cut}`, input: w.text.slice(0, cut), refuse: true });
  }
  // Accepted or refused, but never a crash: CRLF, BOM, random byte flips, big but legal sizes.
  for (let i = 0; i < 400; i++) {
    const w = withLines([], 0).text;
    const variant = pick(['crlf', 'bom', 'flip', 'blanks', 'markers', 'quotes']);
    let input: string | Uint8Array = w;
    if (variant === 'crlf') input = w.replace(/\n/g, '\r\n');
    else if (variant === 'bom') input = `\ufeff${r() < 0.5 ? w : w.replace(/\n/g, '\r\n')}`;
    else if (variant === 'flip') {
      const b = new TextEncoder().encode(w);
      for (let k = 0; k < 1 + (i % 4); k++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
      input = b;
    } else if (variant === 'blanks')
      input = withLines([`x: a${' '.repeat(2000 + i * 50)}b${' '.repeat(1000)}`], at()).text;
    else if (variant === 'markers')
      input = withLines(
        [],
        0,
        `${'**a** · x UTC\n'.repeat(200)}<!-- comment id="c" author="${'"'.repeat(i)}" created="x" -->\n`,
      ).text;
    else input = withLines([`x: ${'"'.repeat(1 + (i % 9))}${'\\'.repeat(i % 5)}'${"'".repeat(i % 3)}`], at()).text;
    cases.push({ name: `variant ${variant}`, input });
  }
  return cases;
}

function bigCases(): Case[] {
  const huge = 'y'.repeat(YAML_LIMITS.yamlBytes);
  return [
    { name: 'front matter over 256 KiB (one value)', input: withLines([`x: ${huge}`], 3).text, refuse: 2 },
    { name: 'front matter over 256 KiB (one key)', input: withLines([`${huge}: v`], 3).text, refuse: 2 },
    {
      name: 'front matter over 256 KiB (many lines)',
      input: withLines(
        Array.from({ length: 30000 }, (_, k) => `# comment ${k} padding`),
        3,
      ).text,
      refuse: 2,
    },
    { name: 'file over 8 MiB', input: withLines([], 0, 'z'.repeat(YAML_LIMITS.fileBytes)).text, refuse: 1 },
    { name: 'file over 8 MiB (bytes)', input: new Uint8Array(YAML_LIMITS.fileBytes + 1).fill(0x61), refuse: 1 },
    { name: 'one 200 KiB value', input: withLines([`x: ${'v'.repeat(200 * 1024)}`], 3).text },
    { name: 'a 7 MiB description of one line', input: withLines([], 0, `${' '.repeat(7 * 1024 * 1024)}x`).text },
    { name: 'a 7 MiB description of comment headers', input: withLines([], 0, '**a** · b UTC\n'.repeat(480_000)).text },
  ];
}

function lineCount(input: string | Uint8Array): number {
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
  return text.split('\n').length + 1;
}

function check(c: Case): number {
  const t0 = performance.now();
  let error: unknown = null;
  let data: unknown = null;
  try {
    data = parseTicketData(c.input, PATH);
  } catch (e) {
    error = e;
  }
  const ms = performance.now() - t0;
  const where = `${c.name}: ${JSON.stringify(typeof c.input === 'string' ? c.input.slice(0, 120) : `<${c.input.length} bytes>`)}`;
  expect(ms, `${where} took ${ms} ms`).toBeLessThan(3000);
  if (error) {
    expect(isTackError(error), `${where}: ${String(error)}`).toBe(true);
    const e = error as { code: string; message: string; details: { path: string; line: number } };
    expect(e.code, where).toBe('parse_error');
    expect(e.message, where).toMatch(new RegExp(`^${PATH}:\\d+: \\S`));
    expect(e.message, where).not.toMatch(/\n\s+at /);
    expect(e.details.path, where).toBe(PATH);
    expect(e.details.line, where).toBeGreaterThanOrEqual(1);
    expect(e.details.line, where).toBeLessThanOrEqual(lineCount(c.input));
    if (typeof c.refuse === 'number') expect(e.details.line, `${where}: ${e.message}`).toBe(c.refuse);
  } else {
    expect(c.refuse, `${where} was accepted`).toBeUndefined();
    expect(() => JSON.stringify(data), where).not.toThrow();
  }
  // The index's path: the same answer as data, never an exception.
  const p = parseBlob(c.input, PATH);
  expect(p.ok, where).toBe(!error);
  if (!p.ok && error) expect(p.line).toBe((error as { details: { line: number } }).details.line);
  return ms;
}

describe('hostile ticket files', () => {
  it('thousands of generated broken files: refused with file:line, no stack, bounded time', () => {
    const cases = generate();
    expect(cases.length).toBeGreaterThan(2000);
    let worst = 0;
    for (const c of cases) worst = Math.max(worst, check(c));
    expect(worst).toBeLessThan(3000);
  });

  it('size limits: front matter, whole file, huge but legal values and descriptions', () => {
    for (const c of bigCases()) check(c);
  });

  it('names the line of the problem in the file', () => {
    const e = (text: string) => {
      try {
        parseTicketData(text, PATH);
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(e('---\nid: tk-1\ntitle: t\nx: &x [*x]\n---\n')).toBe(
      `${PATH}:4: alias *x refers to a value that contains it (a cycle)`,
    );
    expect(e('---\nid: tk-1\ntags: !!set {a, b}\n---\n')).toMatch(
      new RegExp(`^${PATH}:3: YAML tag "!!set" is not allowed`),
    );
    expect(e('---\r\nid: tk-1\r\nx: !!binary aGk=\r\n---\r\n')).toMatch(new RegExp(`^${PATH}:3: YAML tag "!!binary"`));
    expect(e('\ufeff---\nid: tk-1\ntitle: a\ntitle: b\n---\n')).toMatch(
      new RegExp(`^${PATH}:4: duplicate key "title"; keys must be unique`),
    );
    expect(e(`---\nid: tk-1\nx: ${'['.repeat(40)}\n---\n`)).toBe(
      `${PATH}:3: lists and maps nest deeper than 32 levels`,
    );
    expect(e(['---', ...bomb(9, 9), '---', ''].join('\n'))).toMatch(
      /^tickets\/tk-h0st1le0\.md:\d+: more than (100 aliases|10000 values)/,
    );
  });

  it("Tack's own files and plain hand edits still read (the limits cost nothing normal)", () => {
    const file = parseTicketFile(
      withLines(['# a comment', 'estimate: 3', 'ref: &r [x]', 'again: *r', 'nested:\n  a: [1, 2]'], 2).text,
      PATH,
    );
    expect(file.doc.toJS()).toMatchObject({ again: ['x'], nested: { a: [1, 2] }, estimate: 3 });
    expect(parseTicketData(withLines([], 0).text.replace(/\n/g, '\r\n'), PATH).fields.title).toBe('A hostile ticket');
  });

  it('schema and view files go through the same limits', () => {
    expect(() => parseYamlFile('states: &s [*s]\n', 'schema.yaml', 'invalid_schema')).toThrow(
      /^schema\.yaml:1: alias \*s refers to a value that contains it/,
    );
    expect(() => parseYamlFile('x: !!set {a}\n', 'views/a.yaml')).toThrow(/^views\/a\.yaml:1: YAML tag "!!set"/);
    expect(() => parseYamlFile(new Uint8Array([0x61, 0x3a, 0x20, 0xff]), 'schema.yaml')).toThrow(
      /^schema\.yaml:1: invalid UTF-8 at byte 3/,
    );
  });
});
