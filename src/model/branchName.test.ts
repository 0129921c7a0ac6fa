import { describe, expect, it } from 'vitest';
import { branchNameFor, DEFAULT_BRANCH_TEMPLATE, titleSlug } from './branchName.js';

const t = {
  id: 'tk-3fa9k2lm',
  short: 'tk-3fa9',
  title: 'Parser drops trailing // comments!',
  type: 'bug',
  user: 'Alice Smith',
};

describe('branch names', () => {
  it('slugs titles: lower-case words, accents dropped, cut at a word', () => {
    expect(titleSlug('Parser drops trailing // comments!')).toBe('parser-drops-trailing-comments');
    expect(titleSlug('Café à la carte')).toBe('cafe-a-la-carte');
    expect(titleSlug('one two three', 8)).toBe('one-two');
    expect(titleSlug('!!!')).toBe('');
  });

  it('fills the template', () => {
    expect(branchNameFor(DEFAULT_BRANCH_TEMPLATE, t)).toBe('tk-3fa9-parser-drops-trailing-comments');
    expect(branchNameFor('{user}/{type}/{id}', t)).toBe('alice-smith/bug/tk-3fa9k2lm');
    expect(branchNameFor('{short}-{slug}', { ...t, title: '???' })).toBe('tk-3fa9');
  });
});
