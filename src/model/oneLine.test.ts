import { describe, expect, it } from 'vitest';
import { isTackError } from './errors.js';
import { checkNewOneLine, checkOneLine, oneLineProblem } from './oneLine.js';

describe('oneLine', () => {
  it('accepts ordinary text, unicode and emoji', () => {
    for (const v of ['Fix the parser', 'naïve café — 東京 🚀', 'a "quoted" \\ value', ''])
      expect(oneLineProblem(v)).toBeNull();
  });

  it('refuses line breaks, tabs, escapes, C1 controls, separators and bidi overrides', () => {
    for (const ch of [
      '\n',
      '\r',
      '\t',
      '\u0000',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u009b',
      '\u2028',
      '\u2029',
      '\u202e',
      '\u2066',
      '\u200f',
    ]) {
      expect(oneLineProblem(`a${ch}b`)).toMatch(/^contains U\+[0-9A-F]{4} at position 2$/);
    }
  });

  it('throws invalid_input naming what, expected and received', () => {
    try {
      checkOneLine('title', 'a\nb');
      expect.unreachable();
    } catch (e) {
      expect(isTackError(e) && e.code).toBe('invalid_input');
      expect((e as Error).message).toContain('title must be one line');
      expect((e as { details?: unknown }).details).toMatchObject({ what: 'title', received: 'a\nb' });
    }
  });

  it('a bad value already there does not block; a new one does', () => {
    expect(() => checkNewOneLine([['title', 'a\nb']], [['title', 'a\nb']])).not.toThrow();
    expect(() => checkNewOneLine([['labels', 'x\u001b[2J']], [['title', 'x\u001b[2J']])).toThrow(
      /labels must be one line/,
    );
  });
});
