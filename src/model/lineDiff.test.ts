import { describe, expect, it } from 'vitest';
import { lineDiff } from './lineDiff.js';

describe('lineDiff past the table cap', () => {
  it('still gives back both sides, with the unmatched middle as one change', () => {
    // 3,000 × 3,000 different lines would be a 9M-cell table; past the cap it is not built.
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 3000 }, (_, i) => `b${i}`);
    const d = lineDiff(['same', ...a, 'end'].join('\n'), ['same', ...b, 'end'].join('\n'));
    expect(d[0]).toEqual({ op: ' ', text: 'same' });
    expect(d.at(-1)).toEqual({ op: ' ', text: 'end' });
    expect(d.filter((l) => l.op === '-').map((l) => l.text)).toEqual(a);
    expect(d.filter((l) => l.op === '+').map((l) => l.text)).toEqual(b);
  });
});
