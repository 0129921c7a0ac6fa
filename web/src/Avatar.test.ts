import { describe, expect, it } from 'vitest';
import { initials } from './Avatar';

describe('initials', () => {
  it('takes the first letters of two words, or two of one', () => {
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('bob')).toBe('BO');
    expect(initials('claude-42')).toBe('C4');
    expect(initials('ann.lee@example.com')).toBe('AL');
    expect(initials('x')).toBe('X');
  });
});
