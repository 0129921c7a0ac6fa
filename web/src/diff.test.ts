import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineDiff } from './diff';

describe('lineDiff', () => {
  it('marks removed, added and kept lines in order', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\nc')).toEqual([
      { op: ' ', text: 'a' },
      { op: '-', text: 'b' },
      { op: '+', text: 'x' },
      { op: ' ', text: 'c' },
    ]);
    expect(lineDiff('', 'new')).toEqual([
      { op: '-', text: '' },
      { op: '+', text: 'new' },
    ]);
  });

  it('gives back both sides and keeps a longest common subsequence', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd', ''), { maxLength: 12 }).map((l) => l.join('\n'));
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const d = lineDiff(a, b);
        expect(
          d
            .filter((l) => l.op !== '+')
            .map((l) => l.text)
            .join('\n'),
        ).toBe(a);
        expect(
          d
            .filter((l) => l.op !== '-')
            .map((l) => l.text)
            .join('\n'),
        ).toBe(b);
        if (a === b) expect(d.every((l) => l.op === ' ')).toBe(true);
      }),
    );
  });
});
