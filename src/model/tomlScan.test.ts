import { describe, expect, it } from 'vitest';
import { scanToml, tomlString } from './tomlScan.js';

const paths = (text: string) => scanToml(text, 'f.toml').assignments.map((a) => a.path.join('.'));

describe('tomlString', () => {
  it('escapes quotes, backslashes and control characters, and reads back as the same text', () => {
    const nasty = 'a"b\\c\nd\te\r\u0000\u001f\u007f é 🙂 """ \'\'\' ] [x] # #';
    const s = tomlString(nasty);
    expect(s).toBe('"a\\"b\\\\c\\nd\\te\\r\\u0000\\u001f\\u007f é 🙂 \\"\\"\\" \'\'\' ] [x] # #"');
    expect(s).not.toMatch(/[\u0000-\u001f\u007f]/);
    // The scanner decodes a quoted key: the escaped text comes back byte for byte.
    expect(scanToml(`${s} = 1\n`, 'f.toml').assignments[0].path).toEqual([nasty]);
  });
});

describe('scanToml', () => {
  it('finds headers and assignments with their full paths', () => {
    const text = [
      'model = "o3" # a comment',
      '[mcp_servers.other]',
      'command = "x"',
      'args = [',
      '  "a", # inside an array',
      '  [1, 2],',
      ']',
      'env = { A = "1", "B C" = { d = 2 } }',
      "[ mcp_servers . 'tack' ]",
      'when = 1979-05-27 07:32:00Z',
      '[[profiles]]',
      'x.y = true',
    ].join('\n');
    const scan = scanToml(text, 'f.toml');
    expect(scan.headers.map((h) => [h.path.join('.'), h.array])).toEqual([
      ['mcp_servers.other', false],
      ['mcp_servers.tack', false],
      ['profiles', true],
    ]);
    expect(paths(text)).toEqual([
      'model',
      'mcp_servers.other.command',
      'mcp_servers.other.args',
      'mcp_servers.other.env',
      'mcp_servers.tack.when',
      'profiles.x.y',
    ]);
    expect(scan.assignments[3].inline).toEqual(['A', 'B C']);
  });

  it('never reads structure out of a string', () => {
    const text = [
      'notes = """',
      '[mcp_servers.tack]',
      'command = "evil" \\""" still inside',
      '"""',
      "raw = '''",
      '[mcp_servers.tack.env]',
      "'''",
      'one = "[mcp_servers.tack] # not a comment"',
    ].join('\n');
    const scan = scanToml(text, 'f.toml');
    expect(scan.headers).toEqual([]);
    expect(paths(text)).toEqual(['notes', 'raw', 'one']);
  });

  it('refuses what is not TOML, with the line', () => {
    expect(() => scanToml('a = "open\n', 'c.toml')).toThrow(/c\.toml:1: a string is not closed on its line/);
    expect(() => scanToml('ok = 1\n[table\n', 'c.toml')).toThrow(/c\.toml:2: a table header is not closed/);
    expect(() => scanToml('x = """never closed', 'c.toml')).toThrow(/multi-line string is not closed/);
    expect(() => scanToml('x = [1, 2', 'c.toml')).toThrow(/array is not closed/);
    expect(() => scanToml('x 1', 'c.toml')).toThrow(/"=" was expected/);
    expect(() => scanToml('x = 1 y = 2', 'c.toml')).toThrow(/unexpected "y" after a value/);
    expect(() => scanToml('x = "\\q"', 'c.toml')).toThrow(/bad escape/);
  });
});
