import { describe, expect, it } from 'vitest';
import { terminalSafe, terminalSafeText, terminalSafeValue } from './terminalSafe.js';

describe('terminalSafe', () => {
  it('shows line breaks, escapes, C1 controls and bidi overrides as escapes', () => {
    expect(terminalSafe('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(terminalSafe('x\u001b[2Jy\u009bz\u007f')).toBe('x\\x1b[2Jy\\x9bz\\x7f');
    expect(terminalSafe('abc\u202edef\u2066\u2028')).toBe('abc\\u202edef\\u2066\\u2028');
    expect(terminalSafe('naïve 東京 🚀 \\n')).toBe('naïve 東京 🚀 \\n');
  });

  it('multi-line text keeps its line breaks and tabs, not its escapes', () => {
    expect(terminalSafeText('a\n\tb\r\nc\rd\u001b]0;x\u0007')).toBe('a\n\tb\r\nc\\rd\\x1b]0;x\\x07');
  });

  it('a result: one-line keys lose their line breaks, text keeps them', () => {
    const v = terminalSafeValue({
      tickets: [{ title: 'a\nfake row', labels: ['x\ny'], body: 'p\nq\u001b[31m' }],
      n: 3,
    });
    expect(v).toEqual({ tickets: [{ title: 'a\\nfake row', labels: ['x\\ny'], body: 'p\nq\\x1b[31m' }], n: 3 });
  });
});
