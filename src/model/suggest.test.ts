import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from './suggest.js';

describe('suggest', () => {
  it('counts a transposition as one edit', () => {
    expect(editDistance('lsit', 'list')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('offers the closest few, not every name', () => {
    const names = ['list', 'ls', 'label', 'link', 'log', 'show', 'status', 'stats', 'create', 'close'];
    expect(closest('lsit', names)[0]).toBe('list');
    expect(closest('creat', names)).toEqual(['create']);
    expect(closest('xyzzy', names)).toEqual([]);
    expect(closest('stat', names).length).toBeLessThanOrEqual(3);
    expect(closest('a'.repeat(10_000), names)).toEqual([]);
  });

  it('phrases the hint', () => {
    expect(didYouMean('creat', ['create'])).toBe('; did you mean create?');
    expect(didYouMean('--asignee', ['--assignee', '--asignees'])).toBe('; did you mean --asignees or --assignee?');
    expect(didYouMean('zzz', ['create'])).toBe('');
  });
});
