import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeText, liveComments, parseComments, serializeComments, unescapeText, type Comment } from './comments.js';
import { newTicketFile, parseTicketData, parseTicketFile, serializeTicketFile } from './ticketCodec.js';

const MARK = '<!-- comment id="c-1" author="mallory" created="2020-01-01T00:00:00Z" -->';

/** Lines the reader might take for structure, plus their escaped look-alikes and plain text. */
const line = fc.oneof(
  fc.constantFrom(
    MARK,
    `\\${MARK}`,
    `\\\\${MARK}`,
    `${MARK}\r`,
    `${MARK}  `,
    ` ${MARK}`,
    '## Comments',
    '## Comments\r',
    '\\## Comments',
    '**mallory** · 2020-01-01 00:00 UTC',
    '---',
    '',
    '  ',
    '\\',
    '<!--',
    '<!-- comment id="" author="" created="" -->',
    '<!-- comment id="x" author="" created="y" -->',
    '\\<!-- comment id="x&quot;" author="a&amp;b" created="y" -->',
  ),
  fc.string({ unit: fc.constantFrom(...'ab \\<!->"#*\r\t·'.split('')), maxLength: 12 }),
);
const text = fc.array(line, { maxLength: 8 }).map((ls) => ls.join('\n'));
/** What the operations store: a body is trimmed at the end plus one newline, comment text is trimmed. */
const body = text.map((t) => (t.trim() ? `${t.trimEnd()}\n` : ''));
const commentText = text.map((t) => t.trim()).filter((t) => t.length > 0);

describe('text is data: marker-shaped lines', () => {
  it('escapeText / unescapeText round-trip any text', () => {
    fc.assert(
      fc.property(text, (t) => unescapeText(escapeText(t)) === t),
      { numRuns: 500 },
    );
  });

  it('an escaped text has no line the reader takes for a marker', () => {
    fc.assert(
      fc.property(text, (t) => parseComments(escapeText(t), 'x.md').comments.length === 0),
      { numRuns: 500 },
    );
  });

  it('description and comments round-trip byte for byte through the ticket codec (both readers)', () => {
    const comments = fc.array(fc.tuple(commentText, fc.constantFrom('alice', 'a"b&c', '')), { maxLength: 4 });
    fc.assert(
      fc.property(body, comments, (b, cs) => {
        const f = newTicketFile(
          [
            ['id', 'tk-abcd1234'],
            ['title', 'x'],
          ],
          b,
        );
        f.comments = cs.map(
          ([t, author], i): Comment => ({ id: `c-${i}`, author, created: '2026-11-21T10:02:11Z', text: t }),
        );
        const written = serializeTicketFile(f);
        for (const back of [parseTicketFile(written, 'x.md'), parseTicketData(written, 'x.md')]) {
          expect(back.body).toBe(b);
          expect(back.comments).toEqual(f.comments);
          expect(back.warnings).toBeUndefined();
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a marker in a description no longer forges a comment nor cuts the description', () => {
    const desc = `hello\n${MARK}\nforged\n`;
    const f = newTicketFile([['id', 'tk-abcd1234']], desc);
    const written = serializeTicketFile(f);
    expect(written).toContain(`\\${MARK}`);
    const back = parseTicketFile(written, 'x.md');
    expect(back.comments).toEqual([]);
    expect(back.body).toBe(desc);
  });

  it('a marker in a comment stays inside that comment', () => {
    const out = serializeComments('', [
      { id: 'c-a', author: 'al', created: '2026-11-21T10:02:11Z', text: `x\n${MARK}\ny` },
    ]);
    const back = parseComments(out, 'x.md');
    expect(back.comments).toHaveLength(1);
    expect(back.comments[0].text).toBe(`x\n${MARK}\ny`);
  });

  it('only marker-shaped lines are touched: ordinary markdown is written as is', () => {
    const t = 'a\n\\n\n<!-- a note -->\n## Comments\n\\*x*';
    expect(escapeText(t)).toBe(t);
    expect(escapeText(`${MARK}\n\\${MARK}`)).toBe(`\\${MARK}\n\\\\${MARK}`);
  });
});

describe('edited and deleted comments', () => {
  const base: Comment = { id: 'c-1', author: 'alice', created: '2026-01-01T00:00:00Z', text: 'hello' };

  it('an edit time and a tombstone round-trip through the marker', () => {
    const cs: Comment[] = [
      { ...base, text: 'fixed', edited: '2026-01-02T00:00:00Z' },
      { ...base, id: 'c-2', text: '', deleted: '2026-01-03T00:00:00Z' },
      { ...base, id: 'c-3', text: 'plain' },
    ];
    const text = serializeComments('body\n', cs);
    expect(text).toContain('edited="2026-01-02T00:00:00Z"');
    expect(text).toContain('**alice** · 2026-01-01 00:00 UTC · deleted 2026-01-03 00:00 UTC');
    expect(parseComments(text, 'x.md').comments).toEqual(cs);
    expect(liveComments(cs).map((c) => c.id)).toEqual(['c-1', 'c-3']);
  });

  it('text a hand edit leaves under a tombstone is not read as the comment', () => {
    const text = `${serializeComments('', [{ ...base, text: '', deleted: '2026-01-03T00:00:00Z' }])}\nput back by hand\n`;
    expect(parseComments(text, 'x.md').comments[0].text).toBe('');
  });

  it('a line shaped like an edited or deleted marker inside a comment stays text', () => {
    const sneaky = '<!-- comment id="c-9" author="mallory" created="x" deleted="y" -->';
    const text = serializeComments('', [{ ...base, text: `before\n${sneaky}\nafter` }]);
    const back = parseComments(text, 'x.md').comments;
    expect(back).toEqual([{ ...base, text: `before\n${sneaky}\nafter` }]);
  });
});
