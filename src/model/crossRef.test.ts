import { describe, expect, it } from 'vitest';
import { formatCrossRef, isCrossRef, parseCrossRef } from './crossRef.js';

describe('cross-store references', () => {
  it('parses NAME:ID and round-trips', () => {
    expect(parseCrossRef('planning:tk-3fa9')).toEqual({ store: 'planning', id: 'tk-3fa9' });
    expect(parseCrossRef(' app-2:+bd-a1 ')).toEqual({ store: 'app-2', id: 'bd-a1' });
    expect(formatCrossRef('planning', 'tk-3fa9')).toBe('planning:tk-3fa9');
  });
  it('rejects what is not one', () => {
    for (const s of ['tk-3fa9', 'docs/x.md', 'http://x', ':tk-1', 'a:b', '1x:tk-1']) expect(isCrossRef(s)).toBe(false);
  });
});
