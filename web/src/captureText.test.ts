import { describe, expect, it } from 'vitest';
import { linksOf, plusAt, tagsOf, titleOf } from './captureText';
import { linkify } from './linkify';
import { sectionsOf } from './docSections';

describe("capture syntax (the store's: #tag, +id, [[doc]])", () => {
  it('finds tags and links as the store does', () => {
    expect(tagsOf('Idea #Parser, and #ui/web. Not a#tag, not #1')).toEqual(['parser', 'ui/web']);
    expect(linksOf('see +tk-3fa9 and [[docs/specs/x.md]] and [[tk-77c1|that one]]')).toEqual({
      tickets: ['tk-3fa9', 'tk-77c1'],
      docs: ['docs/specs/x.md'],
    });
    expect(titleOf('\n# Heading line\nrest')).toBe('Heading line');
    expect(titleOf('x'.repeat(100))).toHaveLength(78);
  });

  it('opens the link picker only for a + at the start of a word', () => {
    expect(plusAt('see +', 5)).toBe(true);
    expect(plusAt('+', 1)).toBe(true);
    expect(plusAt('a+', 2)).toBe(false);
    expect(plusAt('see +x', 6)).toBe(false);
  });

  it('turns links and tags into markdown links, leaving code alone', () => {
    expect(linkify('see +tk-3fa9 #ui [[docs/a.md]]')).toBe(
      'see [+tk-3fa9](/t/tk-3fa9) [#ui](/tags/ui) [docs/a.md](/docs/docs/a.md)',
    );
    expect(linkify('`#include +tk-3fa9`\n```\n#x\n```\n#yy')).toBe(
      '`#include +tk-3fa9`\n```\n#x\n```\n[#yy](/tags/yy)',
    );
  });

  it('splits a doc into sections up to the next heading of the same level', () => {
    const s = sectionsOf('# T\n\nintro\n\n## A\n\na text\n\n### A1\n\ndeep\n\n## B\n\n```\n## not a heading\n```\n');
    expect(s.map((x) => [x.level, x.title])).toEqual([
      [1, 'T'],
      [2, 'A'],
      [3, 'A1'],
      [2, 'B'],
    ]);
    expect(s[1].body).toBe('a text\n\n### A1\n\ndeep');
    expect(s[3].body).toBe('```\n## not a heading\n```');
  });
});
