import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fieldsOf, newTicketFile, parseTicketFile, serializeTicketFile, setField } from './ticketCodec.js';
import { plainFields } from './plainFrontMatter.js';

/*
 * A new ticket's front matter is written without the YAML library when it is plain. The
 * text must be the one the Document would give: each case is serialized twice, first from
 * the plain fields, then after making the file's Document (reading `doc` makes it).
 */
function bothWays(fields: Array<[string, unknown]>, body = 'Text\n') {
  const f = newTicketFile(fields, body);
  const fast = serializeTicketFile(f);
  const fastFields = fieldsOf(f);
  void f.doc;
  return { fast, slow: serializeTicketFile(f), fastFields, slowFields: fieldsOf(f) };
}

// Characters that change how YAML writes a string, mixed with ordinary ones.
const tricky = fc.constantFrom(
  ...'ab z09 -_.:/#,[]{}"\'`|>&*!%@?=~<$^()+\\\t\né\u2028'.split(''),
  'true',
  'null',
  'yes',
  '---',
  '...',
  '0x1',
  '1e3',
  '.5',
  '2026-12-04T23:30:06Z',
);
const rough = fc.array(tricky, { maxLength: 8 }).map((a) => a.join(''));
// Mostly plain, so that the plain path is taken often; ':' and blanks still in reach.
const mild = fc
  .array(fc.constantFrom(...'abz09-_./()+$=~: '.split(''), '2026-12-04T23:30:06Z', 'true'), {
    minLength: 1,
    maxLength: 8,
  })
  .map((a) => a.join(''));
const str = fc.oneof(mild, mild, rough);
const value = fc.oneof(
  { arbitrary: mild, weight: 12 },
  { arbitrary: fc.array(mild, { maxLength: 3 }), weight: 4 },
  str,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(str, { maxLength: 3 }),
  fc.constant(-0),
);
const key = fc.oneof(
  { arbitrary: fc.constantFrom('id', 'title', 'labels', 'created', 'updated', 'a-b', 'x_1'), weight: 12 },
  { arbitrary: fc.constantFrom('true', 'y', 'No'), weight: 1 },
  { arbitrary: str, weight: 1 },
);

let plainCases = 0;

describe('plain front matter of a new ticket', () => {
  it('is the text and the fields the YAML Document gives', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 5 }), (fields) => {
        const r = bothWays(fields);
        expect(r.fast).toBe(r.slow);
        expect(r.fastFields).toEqual(r.slowFields);
        // What the plain path writes reads back as written (the Document path is tested elsewhere).
        if (plainFields(fields, ['created', 'updated'])) {
          plainCases++;
          expect(fieldsOf(parseTicketFile(r.fast, 't.md'))).toEqual(r.fastFields);
        }
      }),
      { numRuns: 3000 },
    );
    expect(plainCases).toBeGreaterThan(300);
  });

  it('takes the plain path for what create writes, and not for values yaml must quote', () => {
    const created: Array<[string, unknown]> = [
      ['id', 'tk-abcd1234'],
      ['title', 'Fix the parser'],
      ['labels', ['bug', 'ui']],
      ['created', '2026-12-04T23:30:06Z'],
      ['priority', 'none'],
      ['estimate', 3],
    ];
    expect(plainFields(created, ['created', 'updated'])?.map(([k]) => k)).toEqual([
      'id',
      'title',
      'labels',
      'priority',
      'estimate',
      'created',
    ]);
    expect(bothWays(created).fast).toBe(
      '---\nid: tk-abcd1234\ntitle: Fix the parser\nlabels: [bug, ui]\npriority: none\nestimate: 3\ncreated: 2026-12-04T23:30:06Z\n---\nText\n',
    );
    for (const v of ['fix: it', 'a #b', 'true', '123', ' x', 'x ', '--- x', 'é', 'a\nb', '']) {
      expect(plainFields([['title', v]], []), v).toBeNull();
    }
    expect(
      plainFields(
        [
          ['id', 'a'],
          ['id', 'b'],
        ],
        [],
      ),
    ).toBeNull();
  });

  it('makes the Document when the file is edited after creation', () => {
    const f = newTicketFile(
      [
        ['id', 'tk-1'],
        ['title', 'A'],
        ['updated', '2026-01-01'],
      ],
      '',
    );
    setField(f, 'status', 'done');
    setField(f, 'title', 'fix: quoted');
    expect(serializeTicketFile(f)).toBe(
      '---\nid: tk-1\ntitle: "fix: quoted"\nstatus: done\nupdated: 2026-01-01\n---\n',
    );
    const copy = { ...f };
    expect(serializeTicketFile(copy)).toBe(serializeTicketFile(f));
  });
});
