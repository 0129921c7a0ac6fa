import { describe, expect, it } from 'vitest';
import { StreamedAnswer, writeSized } from './streamedAnswer.js';

/** Lines a hostile ticket could hold: quotes, escapes, controls, a line separator, an astral character. */
const LINES = [
  '{"title":"say \\"hi\\""}\n',
  'back\\slash \u001b[31m red \u0085 \u202e \u2028 \r\n',
  '😀 𝄞 \ud83d\ude00\n',
  `${'x'.repeat(70_000)}\n`,
  '',
  'last line without a break',
];

function written(fn: (write: (t: string) => void) => void): { text: string; writes: number } {
  const parts: string[] = [];
  fn((t) => parts.push(t));
  return { text: parts.join(''), writes: parts.length };
}

describe('StreamedAnswer', () => {
  it('--json: the text JSON.stringify(answer, null, 2) gives, written a piece at a time', () => {
    const head = { format: 'jsonl', count: 3 };
    const out = written((w) => new StreamedAnswer(head, 'text', LINES).writeJson(w));
    expect(out.text).toBe(`${JSON.stringify({ ...head, text: LINES.join('') }, null, 2)}\n`);
    expect(out.writes).toBeGreaterThan(3);
    const none = written((w) => new StreamedAnswer(head, 'text', []).writeJson(w));
    expect(JSON.parse(none.text)).toEqual({ ...head, text: '' });
  });

  it('plain: the text byte for byte, in writes of about 64 KiB rather than one a line', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `line ${i} \u202e\n`);
    const out = written((w) => new StreamedAnswer({}, 'text', many).writeText(w));
    expect(out.text).toBe(many.join(''));
    expect(out.writes).toBeLessThan(5);
    expect([...writeSized(LINES)].join('')).toBe(LINES.join(''));
  });

  it('whole: the answer with its text, for a terminal', () => {
    expect(new StreamedAnswer({ count: 1 }, 'text', ['a', 'b']).whole()).toEqual({ count: 1, text: 'ab' });
  });
});
