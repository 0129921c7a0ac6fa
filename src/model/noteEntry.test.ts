import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatNoteLine, parseNoteLine, parseNoteText, unionNoteText, type NoteEntry } from './noteEntry.js';

const entry = (over: Partial<NoteEntry> = {}): NoteEntry => ({
  time: '2026-11-21T10:02:11Z',
  author: 'alice',
  review: null,
  ticket: null,
  meta: {},
  text: '',
  ...over,
});

describe('note lines', () => {
  it('reads like a sentence and parses back', () => {
    const e = entry({ review: 'approve', ticket: 'tk-3fa9k2lm', text: 'Looks good' });
    expect(formatNoteLine(e)).toBe('2026-11-21T10:02:11Z by=alice review=approve ticket=tk-3fa9k2lm | Looks good');
    expect(parseNoteLine(formatNoteLine(e))).toEqual(e);
  });

  it('quotes awkward values and escapes line breaks in the text', () => {
    const e = entry({
      author: 'Bob "B" Smith',
      meta: { ci: 'passed', note: 'a | b = c' },
      text: 'one\ntwo \\n three | four',
    });
    const line = formatNoteLine(e);
    expect(line).not.toContain('\n');
    expect(parseNoteLine(line)).toEqual(e);
  });

  it('round-trips any entry', () => {
    const value = fc.string({ minLength: 1 });
    fc.assert(
      fc.property(
        value,
        fc.string(),
        fc.dictionary(fc.constantFrom('ci', 'build', 'x.y'), value),
        (author, text, meta) => {
          const e = entry({ author, text, meta });
          expect(parseNoteLine(formatNoteLine(e))).toEqual(e);
        },
      ),
    );
  });

  it('skips lines that are not ours', () => {
    expect(
      parseNoteText('hand-written note\n2026-11-21T10:02:11Z by=a | x\n2026-11-21T10:02:11Z nonsense\n'),
    ).toHaveLength(1);
  });

  it('union: every line once, sorted by time', () => {
    const a = '2026-01-02T00:00:00Z by=a | second\n2026-01-01T00:00:00Z by=a | first\n';
    const b = '2026-01-03T00:00:00Z by=b | third\n2026-01-01T00:00:00Z by=a | first\n';
    expect(unionNoteText(a, b)).toBe(
      '2026-01-01T00:00:00Z by=a | first\n2026-01-02T00:00:00Z by=a | second\n2026-01-03T00:00:00Z by=b | third\n',
    );
    expect(unionNoteText('')).toBe('');
  });
});
