import { describe, expect, it } from 'vitest';
import { normaliseDocPath } from './docPath.js';

describe('normaliseDocPath', () => {
  it('keeps docs/ paths and adds the prefix when it is left out', () => {
    expect(normaliseDocPath('docs/specs/parser.md')).toBe('docs/specs/parser.md');
    expect(normaliseDocPath('specs/parser.md')).toBe('docs/specs/parser.md');
    expect(normaliseDocPath('./docs/a.md')).toBe('docs/a.md');
    expect(normaliseDocPath(' guide.md ')).toBe('docs/guide.md');
  });

  it.each([
    ['../tickets/x.md', '".."'],
    ['docs/../schema.yaml', '".."'],
    ['docs/a/../../x.md', '".."'],
    ['/etc/passwd.md', 'absolute'],
    ['C:/x.md', 'absolute'],
    ['docs\\x.md', 'backslash'],
    ['docs//x.md', 'empty'],
    ['docs/./x.md', 'empty'],
    ['docs/x.txt', '.md'],
    ['docs/.md', '.md'],
    ['docs', 'not a file'],
    ['', 'empty'],
  ])('refuses %j', (input, why) => {
    expect(() => normaliseDocPath(input)).toThrow(why);
    try {
      normaliseDocPath(input);
    } catch (e) {
      expect((e as { code: string }).code).toBe('invalid_input');
    }
  });
});
