import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { fastFrontMatter, keyLine } from './fastFrontMatter.js';

/** Whenever the fast reader answers, it must answer exactly what the yaml package says. */
function agrees(text: string): void {
  const fast = fastFrontMatter(text);
  if (fast === null) return;
  let full: unknown;
  try {
    full = parse(text, { uniqueKeys: true }) ?? {};
  } catch {
    throw new Error(`fast reader accepted text yaml rejects: ${JSON.stringify(text)}`);
  }
  expect(fast).toEqual(full);
}

const tricky = [
  'true',
  'True',
  'FALSE',
  'null',
  'Null',
  '~',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  '0',
  '-0',
  '007',
  '1e3',
  '1_000',
  '0x1f',
  '0o17',
  '.5',
  '-.5',
  '.inf',
  '-.inf',
  '.nan',
  '3.14',
  '-2',
  '+2',
  '12:30',
  '2026-11-21',
  '2026-11-21T10:02:11Z',
  '2026-11-21T10:02:11+02:00',
  'a: b',
  'a:b',
  'a #b',
  'a#b',
  '#x',
  '- x',
  '-x',
  '-',
  '@x',
  '`x',
  '|',
  '>',
  '>x',
  '<x',
  '!x',
  '&x',
  '*x',
  '%x',
  '?x',
  '? x',
  'x,y',
  '[a',
  'a]',
  '{a}',
  '"q"',
  "'q'",
  '"a\\"b"',
  "'a''b'",
  'tk-3fa9x2kq',
  'docs/x.md',
  'a b c',
  ' lead',
  'tail ',
  '1.0',
  '1.',
  '9007199254740993',
  '12345678901234567890',
  'ñandú',
  'a\tb',
  '=x',
  '$x',
  '^x',
  '(x)',
  '+x',
  'x:',
  'x::y',
];

describe('fastFrontMatter', () => {
  it('reads what Tack writes', () => {
    expect(
      fastFrontMatter(
        'id: tk-3fa9x2kq\ntitle: Parser drops trailing comments\nlabels: [parser, regression]\nestimate: 3\ncreated: 2026-11-21T10:02:11Z\n',
      ),
    ).toEqual({
      id: 'tk-3fa9x2kq',
      title: 'Parser drops trailing comments',
      labels: ['parser', 'regression'],
      estimate: 3,
      created: '2026-11-21T10:02:11Z',
    });
  });

  it('reads one level of maps, as importers write their source keys', () => {
    expect(fastFrontMatter('id: tk-1\nbeads:\n  id: bd-12\n  owner: "a: b"\nlabels: [x]\nempty:\n')).toEqual({
      id: 'tk-1',
      beads: { id: 'bd-12', owner: 'a: b' },
      labels: ['x'],
      empty: null,
    });
    for (const t of ['a:\n  b: 1\n', 'a: \n    b: [x, y]\n    c: "q"\nd: 2\n', 'a:\n\n  b: 1\n']) agrees(t);
  });

  it('gives up on comments, deeper nesting and block values', () => {
    for (const t of [
      'a: 1 # c\n',
      '# c\na: 1\n',
      'a:\n  b:\n    c: 1\n',
      'a:\n  b:\n  c: 1\n',
      'a:\n  b: 1\n   c: 2\n',
      'a:\n    b: 1\n  c: 2\n',
      'a:\n  b: 1\n  b: 2\n',
      'a:\n  b: 1\n  more text\n',
      'a: x\n  b: 1\n',
      'a: null\n  b: 1\n',
      'a:\n\tb: 1\n',
      'a:\n  # c\n  b: 1\n',
      'a:\n  __proto__: 1\n',
      'a:\n  - x\n',
      'a: |\n  x\n',
      'a: 1\na: 2\n',
      '  a: 1\n',
    ]) {
      expect(fastFrontMatter(t)).toBeNull();
    }
  });

  it('agrees with yaml on every tricky scalar, alone and in lists', () => {
    for (const v of tricky) {
      agrees(`k: ${v}\n`);
      agrees(`k: [${v}]\n`);
      agrees(`k: [a, ${v}, b]\n`);
    }
  });

  it('agrees with yaml on random front matter', () => {
    const chars = fc.constantFrom(...'abcXYZ019 -_.:/#,[]{}"\'`|>@!&*%?~+=$^()\t\\'.split(''));
    const value = fc.oneof(fc.constantFrom(...tricky), fc.string({ unit: chars, maxLength: 12 }));
    const line = fc
      .tuple(fc.constantFrom('id', 'title', 'status', 'labels', 'n', 'x_y', 'a-b'), value, fc.boolean())
      .map(([k, v, list]) => (list ? `${k}: [${v}]` : `${k}: ${v}`));
    // A line may instead open a map of such lines (one indent), or be indented itself.
    const entry = fc.oneof(
      line,
      fc
        .tuple(fc.constantFrom('beads', 'x'), fc.constantFrom('  ', '    ', ' '), fc.array(line, { maxLength: 3 }))
        .map(([k, indent, sub]) => [`${k}:`, ...sub.map((l) => indent + l)].join('\n')),
      line.map((l) => `  ${l}`),
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), (lines) => agrees(`${lines.join('\n')}\n`)),
      { numRuns: Number(process.env.FAST_FM_RUNS ?? 3000) },
    );
  });
});

describe('keyLine', () => {
  // The regular expression it replaces, as the oracle.
  const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*):([ \t].*)?$/;
  const oracle = (line: string) => {
    const m = KEY_LINE.exec(line);
    return m ? { key: m[1], rest: m[2] } : null;
  };

  it('reads a line as /^([A-Za-z_][A-Za-z0-9_-]*):([ \\t].*)?$/ does', () => {
    for (const line of [
      '',
      ':',
      'a',
      'a:',
      'a: ',
      'a:b',
      'a:\tb',
      '_x-1: v',
      '1a: v',
      '-a: v',
      'a b: v',
      'a:\r',
      'a: b\rc',
      'a: \u2028',
      'é: v',
      'a::',
    ])
      expect(keyLine(line), JSON.stringify(line)).toEqual(oracle(line));
    const chars = fc.constantFrom(...'aZ_9-: \t\r#é\u2028\u2029x'.split(''));
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 10 }), (line) => {
        expect(keyLine(line)).toEqual(oracle(line));
      }),
      { numRuns: 5000 },
    );
  });
});
