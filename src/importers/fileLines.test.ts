import { appendFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileLines } from './fileLines.js';

const dir = mkdtempSync(join(tmpdir(), 'tack-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (text: string | Buffer) => {
  const p = join(dir, `f${n++}`);
  writeFileSync(p, text);
  return p;
};

describe('fileLines', () => {
  it('gives the lines text.split("\\n") gives, whatever falls on a chunk boundary', () => {
    const chunk = 1 << 20;
    // Lines that end exactly at, one before and one after each boundary, multi-byte
    // characters cut by one, \r\n endings, blank lines, and no final line break.
    const pieces = [
      'x'.repeat(chunk - 1),
      'é'.repeat(1000),
      'y'.repeat(chunk - 3),
      '✓ last\r',
      '',
      '🎉'.repeat(300_000),
      'end',
    ];
    for (const text of [pieces.join('\n'), `${pieces.join('\n')}\n`, '', '\n', 'one', 'a\n\nb']) {
      expect([...fileLines(file(text))]).toEqual(text.split('\n'));
    }
  });

  it('reads the file again on each iteration, and the two readings agree', () => {
    const p = file('a\nb\n');
    const lines = fileLines(p);
    expect([...lines]).toEqual(['a', 'b', '']);
    expect([...lines]).toEqual(['a', 'b', '']);
  });

  it('a file that changes between readings is an error, not a mix of two sources', () => {
    const p = file('a\nb\n');
    const lines = fileLines(p);
    expect([...lines]).toHaveLength(3);
    appendFileSync(p, 'c\n');
    expect(() => [...lines]).toThrow(
      expect.objectContaining({
        code: 'conflict',
        message: expect.stringContaining('changed while it was being read'),
      }),
    );
    // Same size, new time: rewritten in place.
    const q = file('1\n');
    const again = fileLines(q);
    writeFileSync(q, '2\n');
    utimesSync(q, new Date(), new Date(Date.now() + 5000));
    expect(() => [...again]).toThrow(expect.objectContaining({ code: 'conflict' }));
  });
});
