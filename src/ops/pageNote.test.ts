import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { n, pageNote } from './pageNote.js';

describe('pageNote', () => {
  it('groups digits as en-US does', () => {
    fc.assert(fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), (x) => n(x) === x.toLocaleString('en-US')));
    expect(n(0)).toBe('0');
    expect(n(999)).toBe('999');
    expect(n(1000)).toBe('1,000');
    expect(n(1234567)).toBe('1,234,567');
  });

  it('names the page and the flags for the rest', () => {
    expect(pageNote({ offset: 0, shown: 50, total: 7143, limit: 50 })).toBe(
      'showing 1–50 of 7,143 (7,093 more): next page --offset 50, a bigger page --limit N, all --limit 0',
    );
  });
});
