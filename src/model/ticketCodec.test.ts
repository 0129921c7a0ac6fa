import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isTackError } from './errors.js';
import type { Comment } from './comments.js';
import {
  dataOf,
  fieldsOf,
  newTicketFile,
  parseTicketData,
  parseTicketFile,
  serializeTicketFile,
  setField,
} from './ticketCodec.js';

/*
 * The ticket file is the product's public API: a hand-written file must survive Tack's
 * writes byte for byte except for what Tack changed. The generators below write front
 * matter the way a person would (random known and unknown keys in random order, nested
 * maps, block and flow lists, quoted strings with ':' and '#', numbers, booleans,
 * unicode, full-line and trailing comments), in the layout the yaml printer produces,
 * so that parse→serialize must be the identity.
 */

// ---------------------------------------------------------------- model of a file

type Scalar =
  | { k: 'plain'; v: string }
  | { k: 'dq'; v: string }
  | { k: 'sq'; v: string }
  | { k: 'int'; v: number }
  | { k: 'float'; text: string }
  | { k: 'bool'; v: boolean }
  | { k: 'null' };

type Value =
  | Scalar
  | { k: 'flowseq'; items: Scalar[] }
  | { k: 'flowmap'; entries: Array<[string, Scalar]> }
  | { k: 'blockseq'; items: Array<Scalar | { k: 'flowseq'; items: Scalar[] }> }
  | { k: 'map'; entries: Entry[] };

interface Entry {
  key: string;
  value: Value;
  /** full-line comments right above the key */
  before: string[];
  /** `# comment` at the end of the key's line (scalars and flow collections only) */
  trailing: string | null;
}

interface Model {
  entries: Entry[];
  /** comments after the last key */
  final: string[];
  body: string;
  comments: Comment[];
}

const isScalar = (v: Value): v is Scalar => ['plain', 'dq', 'sq', 'int', 'float', 'bool', 'null'].includes(v.k);
const isInline = (v: Value) => isScalar(v) || v.k === 'flowseq' || v.k === 'flowmap';

function scalarText(s: Scalar): string {
  switch (s.k) {
    case 'plain':
      return s.v;
    case 'dq':
      return `"${s.v}"`;
    case 'sq':
      return `'${s.v}'`;
    case 'int':
      return String(s.v);
    case 'float':
      return s.text;
    case 'bool':
      return String(s.v);
    case 'null':
      return 'null';
  }
}

function inlineText(v: Value): string {
  if (isScalar(v)) return scalarText(v);
  if (v.k === 'flowseq') return `[${v.items.map(scalarText).join(', ')}]`;
  if (v.k === 'flowmap') return `{${v.entries.map(([k, x]) => `${k}: ${scalarText(x)}`).join(', ')}}`;
  throw new Error('not inline');
}

function renderEntries(entries: Entry[], indent: string): string {
  let out = '';
  for (const e of entries) {
    for (const c of e.before) out += `${indent}# ${c}\n`;
    if (isInline(e.value)) {
      out += `${indent}${e.key}: ${inlineText(e.value)}${e.trailing !== null ? ` # ${e.trailing}` : ''}\n`;
    } else if (e.value.k === 'blockseq') {
      out += `${indent}${e.key}:\n`;
      for (const item of e.value.items) out += `${indent}  - ${inlineText(item)}\n`;
    } else if (e.value.k === 'map') {
      out += `${indent}${e.key}:\n${renderEntries(e.value.entries, `${indent}  `)}`;
    }
  }
  return out;
}

function formatCommentText(c: Comment): string {
  const time = c.created.replace('T', ' ').replace(/:\d\dZ$/, ' UTC');
  return (
    `<!-- comment id="${c.id}" author="${c.author.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" created="${c.created}" -->\n` +
    `**${c.author || 'unknown'}** · ${time}\n\n${c.text}\n`
  );
}

/** The file as a person (or Tack) would have written it. Independent of the codec. */
function render(m: Model): string {
  let yaml = renderEntries(m.entries, '');
  if (m.final.length) yaml += `\n${m.final.map((c) => `# ${c}\n`).join('')}`;
  let rest = m.body;
  if (m.comments.length) {
    rest = `${m.body ? `${m.body}\n` : ''}## Comments\n\n${m.comments.map(formatCommentText).join('\n')}`;
  }
  return `---\n${yaml}---\n${rest}`;
}

function toJs(v: Value): unknown {
  switch (v.k) {
    case 'plain':
    case 'dq':
    case 'sq':
      return v.v;
    case 'int':
      return v.v;
    case 'float':
      return Number(v.text);
    case 'bool':
      return v.v;
    case 'null':
      return null;
    case 'flowseq':
    case 'blockseq':
      return v.items.map(toJs);
    case 'flowmap':
      return Object.fromEntries(v.entries.map(([k, x]) => [k, toJs(x)]));
    case 'map':
      return Object.fromEntries(v.entries.map((e) => [e.key, toJs(e.value)]));
  }
}

// ---------------------------------------------------------------- generators

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const UNICODE = ['é', 'ü', 'ß', 'ñ', 'ø', 'λ', 'Ж', '世', '界', '日', '本', 'ع', '✓', '🚀'];
const RESERVED_WORDS = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n']);

const letter = fc.constantFrom(...LETTERS.split(''));
const wordChar = fc.oneof(
  { weight: 6, arbitrary: letter },
  { weight: 2, arbitrary: fc.constantFrom(...'0123456789-_.'.split('')) },
  { weight: 2, arbitrary: fc.constantFrom(...UNICODE) },
);
const word = fc
  .tuple(fc.oneof(letter, fc.constantFrom(...UNICODE)), fc.array(wordChar, { maxLength: 8 }))
  .map(([a, b]) => a + b.join(''))
  .filter((w) => !RESERVED_WORDS.has(w.toLowerCase()) && !/[-_.]$/.test(w));
/** Plain scalar: words separated by single spaces, may hold ':' or '#' where YAML allows them. */
const plain = fc
  .array(
    fc.oneof(
      { weight: 5, arbitrary: word },
      { weight: 1, arbitrary: word.map((w) => `${w}:${w}`) },
      { weight: 1, arbitrary: word.map((w) => `${w}#x`) },
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((ws) => ws.join(' '));
/** Inside quotes: ': ' and ' #' that would break a plain scalar, unicode, punctuation. */
const quotedChar = fc.oneof(
  { weight: 6, arbitrary: wordChar },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      ' ',
      ': ',
      ' #',
      '#',
      ':',
      ',',
      '[',
      ']',
      '{',
      '}',
      '!',
      '&',
      '*',
      '%',
      '@',
      '`',
      '|',
      '>',
      '?',
    ),
  },
);
const quoted = fc.array(quotedChar, { minLength: 1, maxLength: 16 }).map((cs) => cs.join(''));
const keyArb = fc
  .tuple(letter, fc.array(fc.constantFrom(...`${LETTERS}0123456789_`.split('')), { maxLength: 8 }))
  .map(([a, b]) => `x_${a}${b.join('')}`);
const comment = fc
  .array(
    fc.oneof(
      { weight: 5, arbitrary: wordChar },
      { weight: 2, arbitrary: fc.constantFrom(' ', ':', '#', ' # ', '"', "'", '-') },
    ),
    { minLength: 1, maxLength: 20 },
  )
  .map((cs) => cs.join('').trim())
  .filter((c) => c.length > 0);

const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  { weight: 4, arbitrary: plain.map((v) => ({ k: 'plain' as const, v })) },
  { weight: 3, arbitrary: quoted.map((v) => ({ k: 'dq' as const, v: v.replace(/["\\]/g, '') })) },
  { weight: 2, arbitrary: quoted.map((v) => ({ k: 'sq' as const, v: v.replace(/'/g, '') })) },
  { weight: 2, arbitrary: fc.integer({ min: -100000, max: 100000 }).map((v) => ({ k: 'int' as const, v })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: -999, max: 999 }), fc.integer({ min: 1, max: 999 }))
      .filter(([, f]) => f % 10 !== 0)
      .map(([i, f]) => ({ k: 'float' as const, text: `${i}.${f}` })),
  },
  { weight: 1, arbitrary: fc.boolean().map((v) => ({ k: 'bool' as const, v })) },
  { weight: 1, arbitrary: fc.constant({ k: 'null' as const }) },
);
/** Flow collections: no ':' / ',' / brackets in plain items (they mean something there). */
const flowScalar: fc.Arbitrary<Scalar> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => ({ k: 'plain' as const, v: ws.join(' ') })),
  },
  { weight: 2, arbitrary: quoted.map((v) => ({ k: 'dq' as const, v: v.replace(/["\\]/g, '') })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 9999 }).map((v) => ({ k: 'int' as const, v })) },
  { weight: 1, arbitrary: fc.boolean().map((v) => ({ k: 'bool' as const, v })) },
);
const flowseq = fc.array(flowScalar, { minLength: 1, maxLength: 4 }).map((items) => ({ k: 'flowseq' as const, items }));
const flowmap = fc
  .uniqueArray(fc.tuple(keyArb, flowScalar), { minLength: 1, maxLength: 3, selector: ([k]) => k })
  .map((entries) => ({ k: 'flowmap' as const, entries }));
const blockseq = fc
  .array(fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: flowseq }), { minLength: 1, maxLength: 4 })
  .map((items) => ({ k: 'blockseq' as const, items }));

function entriesArb(keys: fc.Arbitrary<string>, value: fc.Arbitrary<Value>, max: number): fc.Arbitrary<Entry[]> {
  return fc
    .uniqueArray(
      fc.record({
        key: keys,
        value,
        before: fc.array(comment, { maxLength: 2 }),
        trailing: fc.option(comment, { freq: 3 }),
      }),
      { minLength: 1, maxLength: max, selector: (e) => e.key },
    )
    .map((es) => es.map((e) => ({ ...e, trailing: isInline(e.value) ? e.trailing : null })));
}

const leafValue: fc.Arbitrary<Value> = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 2, arbitrary: flowseq },
  { weight: 1, arbitrary: flowmap },
  { weight: 2, arbitrary: blockseq },
);
const nestedMap: fc.Arbitrary<Value> = fc
  .oneof(
    entriesArb(keyArb, leafValue, 4),
    entriesArb(
      keyArb,
      fc.oneof(
        { weight: 3, arbitrary: leafValue },
        { weight: 1, arbitrary: entriesArb(keyArb, leafValue, 3).map((entries) => ({ k: 'map' as const, entries })) },
      ),
      4,
    ),
  )
  .map((entries) => ({ k: 'map' as const, entries }));
const unknownValue: fc.Arbitrary<Value> = fc.oneof(
  { weight: 5, arbitrary: leafValue },
  { weight: 2, arbitrary: nestedMap },
);

const iso = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z'));
const idArb = fc
  .string({ unit: fc.constantFrom(...'0123456789abcdefghijklmnopqrstuvwxyz'.split('')), minLength: 8, maxLength: 8 })
  .map((s) => `tk-${s}`);
const labelList = fc.uniqueArray(word, { minLength: 1, maxLength: 4 });

/** Known fields with the values Tack writes (title may need quotes). */
const knownEntries: fc.Arbitrary<Array<[string, Value]>> = fc
  .record(
    {
      id: idArb.map((v): Value => ({ k: 'plain', v })),
      title: fc.oneof(
        plain.map((v): Value => ({ k: 'plain', v })),
        quoted.map((v): Value => ({ k: 'dq', v: v.replace(/["\\]/g, '') || 'x' })),
      ),
      type: fc.constantFrom('task', 'bug', 'feature').map((v): Value => ({ k: 'plain', v })),
      status: fc.constantFrom('todo', 'in-progress', 'done').map((v): Value => ({ k: 'plain', v })),
      priority: fc.constantFrom('none', 'urgent', 'high', 'low').map((v): Value => ({ k: 'plain', v })),
      labels: fc.oneof(
        labelList.map((ls): Value => ({ k: 'flowseq', items: ls.map((v) => ({ k: 'plain' as const, v })) })),
        labelList.map((ls): Value => ({ k: 'blockseq', items: ls.map((v) => ({ k: 'plain' as const, v })) })),
      ),
      assignee: word.map((v): Value => ({ k: 'plain', v })),
      parent: idArb.map((v): Value => ({ k: 'plain', v })),
      blocks: fc
        .array(idArb, { minLength: 1, maxLength: 3 })
        .map((ls): Value => ({ k: 'flowseq', items: ls.map((v) => ({ k: 'plain' as const, v })) })),
      created: iso.map((v): Value => ({ k: 'plain', v })),
      updated: iso.map((v): Value => ({ k: 'plain', v })),
    },
    { requiredKeys: ['id', 'title', 'created'] },
  )
  .map((r) => Object.entries(r) as Array<[string, Value]>);

const MD_LINES = [
  '# Heading',
  '## Acceptance',
  '- [ ] all fixtures round-trip',
  '- [x] done item',
  '* bullet',
  '1. numbered',
  'Plain text with #tag and +tk-3fa9.',
  'See [[docs/specs/parser.md]] and [[tk-1a2b]].',
  '> a quote: with colon',
  '```ts',
  'const x: number = 1; // #notatag',
  '```',
  '---',
  '***',
  '| a | b |',
  '|---|---|',
  'key: value looks like yaml',
  'Ünïcödé 世界 🚀',
  '<!-- an html comment -->',
  '    indented code',
  '  ',
  '',
];
const mdLine = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...MD_LINES) }, { weight: 1, arbitrary: plain });
/** Any body (no comments section follows): kept verbatim, trailing newline or not. */
const freeBody = fc
  .tuple(fc.array(mdLine, { maxLength: 8 }), fc.constantFrom('', '\n', '\n\n'))
  .map(([ls, end]) => (ls.length ? ls.join('\n') + end : ''));
/** A body followed by comments: canonical form has no trailing blank lines or spaces. */
const bodyBeforeComments = fc.array(mdLine, { maxLength: 8 }).map((ls) => {
  const text = ls.join('\n').replace(/\s+$/, '');
  return text && !/(^|\n)## Comments$/.test(text) ? `${text}\n` : '';
});
const commentArb: fc.Arbitrary<Comment> = fc.record({
  id: fc
    .string({ unit: fc.constantFrom(...'0123456789abcdefghijklmnopqrstuvwxyz'.split('')), minLength: 6, maxLength: 6 })
    .map((s) => `c-${s}`),
  author: fc.oneof(word, fc.constant(''), fc.constant('Ann "the admin" & co')),
  created: iso,
  text: fc
    .array(mdLine, { minLength: 1, maxLength: 5 })
    .map((ls) => ls.join('\n').trim())
    .filter((t) => t.length > 0),
});
const commentsArb = fc.uniqueArray(commentArb, { maxLength: 3, selector: (c) => c.id });

const modelArb: fc.Arbitrary<Model> = fc
  .tuple(
    knownEntries,
    fc.uniqueArray(fc.tuple(keyArb, unknownValue), { maxLength: 5, selector: ([k]) => k }),
    fc.array(fc.tuple(fc.array(comment, { maxLength: 2 }), fc.option(comment, { freq: 3 })), {
      minLength: 20,
      maxLength: 20,
    }),
    fc.array(comment, { maxLength: 2 }),
    fc.boolean(),
    freeBody,
    bodyBeforeComments,
    commentsArb,
  )
  .chain(([known, unknown, decorations, final, withComments, free, before, comments]) => {
    const pairs: Array<[string, Value]> = [...known, ...unknown];
    return fc.shuffledSubarray(pairs, { minLength: pairs.length, maxLength: pairs.length }).map((order) => {
      const entries: Entry[] = order.map(([key, value], i) => ({
        key,
        value,
        before: decorations[i][0],
        trailing: isInline(value) ? decorations[i][1] : null,
      }));
      const cs = withComments ? comments : [];
      return { entries, final, body: cs.length ? before : free, comments: cs };
    });
  });

/** CODEC_RUNS=20000 for a long hunt; the default keeps the suite fast. */
const RUNS = { numRuns: Number(process.env.CODEC_RUNS ?? 300) };

// ---------------------------------------------------------------- properties

describe('ticket codec: properties', () => {
  it('parse → serialize is the identity on canonical files', () => {
    fc.assert(
      fc.property(modelArb, (m) => {
        const text = render(m);
        expect(serializeTicketFile(parseTicketFile(text, 'tickets/x.md'))).toBe(text);
      }),
      RUNS,
    );
  });

  it('parse reads the fields, body and comments the file holds', () => {
    fc.assert(
      fc.property(modelArb, (m) => {
        const file = parseTicketFile(render(m), 'tickets/x.md');
        expect(fieldsOf(file)).toEqual(Object.fromEntries(m.entries.map((e) => [e.key, toJs(e.value)])));
        expect(file.body).toBe(m.body);
        expect(file.comments).toEqual(m.comments);
      }),
      RUNS,
    );
  });

  it('setField of a known field keeps every other key, its order, every comment and the body', () => {
    const change = fc.oneof(
      fc.record({
        key: fc.constantFrom('status', 'priority', 'assignee', 'type', 'title', 'updated'),
        value: word.map((v): Value => ({ k: 'plain', v })),
      }),
      fc.record({
        key: fc.constantFrom('labels', 'blocks'),
        value: fc
          .uniqueArray(word, { minLength: 1, maxLength: 3 })
          .map((ls): Value => ({ k: 'flowseq', items: ls.map((v) => ({ k: 'plain' as const, v })) })),
      }),
    );
    fc.assert(
      fc.property(modelArb, change, (m, { key, value }) => {
        const file = parseTicketFile(render(m), 'tickets/x.md');
        setField(file, key, toJs(value));
        // Expected: the same model with only that entry's value replaced (a new key goes
        // before created/updated, or last); a trailing comment on the old value stays.
        const entries = m.entries.map((e) => ({ ...e }));
        const at = entries.findIndex((e) => e.key === key);
        if (at >= 0) {
          entries[at] = { ...entries[at], value, trailing: isInline(entries[at].value) ? entries[at].trailing : null };
        } else {
          const tail = entries.findIndex((e) => e.key === 'created' || e.key === 'updated');
          const entry: Entry = { key, value, before: [], trailing: null };
          if (tail >= 0 && key !== 'updated') entries.splice(tail, 0, entry);
          else entries.push(entry);
        }
        expect(serializeTicketFile(file)).toBe(render({ ...m, entries }));
      }),
      RUNS,
    );
  });

  it('setField to an empty list or null removes only that key', () => {
    fc.assert(
      fc.property(
        modelArb,
        fc.constantFrom('labels', 'assignee', 'parent', 'blocks'),
        fc.constantFrom<unknown>(null, []),
        (m, key, empty) => {
          const file = parseTicketFile(render(m), 'tickets/x.md');
          setField(file, key, empty);
          const entries = m.entries.filter((e) => e.key !== key);
          expect(serializeTicketFile(file)).toBe(render({ ...m, entries }));
        },
      ),
      RUNS,
    );
  });

  it('parse(serialize(x)) gives back the fields, body and comments of any file Tack builds', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 40 });
    const jsScalar = fc.oneof(text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean());
    const jsValue = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, jsScalar, tie('list'), tie('map')),
      list: fc.array(tie('value'), { minLength: 1, maxLength: 4 }),
      map: fc.dictionary(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }), tie('value'), {
        minKeys: 1,
        maxKeys: 4,
      }),
    })).value;
    const fieldsArb = fc
      .uniqueArray(fc.tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), jsValue), {
        minLength: 1,
        maxLength: 8,
        selector: ([k]) => k,
      })
      .filter((fs) => !fs.some(([k]) => k === '__proto__'));
    const bodyArb = fc.string({ unit: 'grapheme', maxLength: 200 }).filter((b) => !/^<!-- comment /m.test(b));
    const anyComment: fc.Arbitrary<Comment> = fc.record({
      id: fc
        .string({ unit: fc.constantFrom(...'abcdef0123'.split('')), minLength: 6, maxLength: 6 })
        .map((s) => `c-${s}`),
      // line breaks in author names are a separate, targeted case below
      author: fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => s.replace(/[\n\r\u2028\u2029]/g, ' ')),
      created: iso,
      text: fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: 80 })
        .map((s) => s.trim())
        .filter((s) => s.length > 0 && !/^<!-- comment /m.test(s)),
    });
    fc.assert(
      fc.property(
        fieldsArb,
        bodyArb,
        fc.uniqueArray(anyComment, { maxLength: 3, selector: (c) => c.id }),
        (fields, body, comments) => {
          const file = newTicketFile(fields, body);
          file.comments = comments;
          const back = parseTicketFile(serializeTicketFile(file), 'tickets/x.md');
          expect(fieldsOf(back)).toEqual(Object.fromEntries(fields));
          if (comments.length === 0) {
            expect(back.body).toBe(body);
            expect(back.comments).toEqual([]);
          } else {
            const head = body.trimEnd();
            fc.pre(!/(^|\n)## Comments[ \t]*$/.test(head));
            expect(back.body).toBe(head ? `${head}\n` : '');
            expect(back.comments).toEqual(comments);
          }
        },
      ),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------- targeted cases

function parseErr(
  text: string,
  path = 'tickets/tk-abcd1234.md',
): { code: string; message: string; details?: Record<string, unknown> } {
  try {
    parseTicketFile(text, path);
  } catch (e) {
    if (!isTackError(e)) throw e;
    return { code: e.code, message: e.message, details: e.details };
  }
  throw new Error('expected a parse error');
}

describe('ticket codec: broken files', () => {
  it('broken YAML gives parse_error with the line in the file (a mapping inside a plain value on line 3)', () => {
    const e = parseErr('---\nid: tk-abcd1234\ntitle: Parser: drops comments\nstatus: todo\n---\nbody\n');
    expect(e.code).toBe('parse_error');
    expect(e.message).toMatch(/^tickets\/tk-abcd1234\.md:3: invalid YAML/);
    expect(e.details).toMatchObject({ path: 'tickets/tk-abcd1234.md', line: 3 });
  });

  it('an unterminated quote is reported at or after its line, not at the top', () => {
    const e = parseErr('---\nid: tk-abcd1234\ntitle: ok\nassignee: "bob\nstatus: todo\n---\nbody\n');
    expect(e.code).toBe('parse_error');
    expect(e.details?.line).toBeGreaterThanOrEqual(4);
    expect(e.details?.line).toBeLessThanOrEqual(6);
    expect(e.message).toContain('quote');
  });

  it('a duplicate key is reported on its own line', () => {
    const e = parseErr('---\nid: tk-abcd1234\ntitle: ok\nstatus: todo\nstatus: done\n---\n');
    expect(e.code).toBe('parse_error');
    expect(e.details?.line).toBe(5);
    expect(e.message).toContain('tickets/tk-abcd1234.md:5');
  });

  it('bad indentation further down is reported on the right line', () => {
    const e = parseErr('---\nid: tk-abcd1234\ntitle: ok\nlabels: [a, b]\npriority: high\n\tassignee: bob\n---\n');
    expect(e.code).toBe('parse_error');
    expect(e.details?.line).toBe(6);
  });

  it('front matter that is not a map', () => {
    const e = parseErr('---\n- a\n- b\n---\nbody\n');
    expect(e.code).toBe('parse_error');
    expect(e.message).toContain('map');
  });

  it('missing front matter', () => {
    const e = parseErr('# Just markdown\n\nno fields here\n');
    expect(e.code).toBe('parse_error');
    expect(e.details?.line).toBe(1);
    expect(e.message).toContain('"---"');
    expect(e.message).toContain('# Just markdown');
  });

  it('unclosed front matter', () => {
    const e = parseErr('---\nid: tk-abcd1234\ntitle: never closed\n\nbody text\n');
    expect(e.code).toBe('parse_error');
    expect(e.message).toContain('not closed');
  });

  it('an empty file', () => {
    expect(parseErr('').code).toBe('parse_error');
  });

  it('a comment id used twice still reads: the second under a fresh id, with a warning naming its line', () => {
    const c =
      '<!-- comment id="c-aaaaaa" author="a" created="2026-11-21T10:02:11Z" -->\n**a** · 2026-11-21 10:02 UTC\n\nhi\n';
    const text = `---\nid: tk-abcd1234\n---\nbody\n\n## Comments\n\n${c}\n${c}`;
    for (const data of [dataOf(parseTicketFile(text, 'x.md')), parseTicketData(text, 'x.md')]) {
      expect(data.body).toBe('body\n');
      expect(data.comments.map((x) => x.id)).toEqual(['c-aaaaaa', 'c-aaaaaa-2']);
      expect(data.warnings).toEqual([
        { line: 13, message: 'comment id "c-aaaaaa" appears twice; this one is read as "c-aaaaaa-2"' },
      ]);
    }
  });
});

describe('ticket codec: line endings and encodings', () => {
  it('a CRLF file parses: fields without \\r, body kept', () => {
    const text = '---\r\nid: tk-abcd1234\r\ntitle: Windows file\r\nlabels: [a, b]\r\n---\r\nLine one\r\nLine two\r\n';
    const f = parseTicketFile(text, 'tickets/tk-abcd1234.md');
    expect(fieldsOf(f)).toEqual({ id: 'tk-abcd1234', title: 'Windows file', labels: ['a', 'b'] });
    expect(f.body).toBe('Line one\r\nLine two\r\n');
  });

  it('a CRLF file survives setField: the other fields and the body are unchanged', () => {
    const text = '---\r\nid: tk-abcd1234\r\ntitle: Windows file # keep me\r\nstatus: todo\r\n---\r\nLine one\r\n';
    const f = parseTicketFile(text, 'tickets/tk-abcd1234.md');
    setField(f, 'status', 'done');
    const back = parseTicketFile(serializeTicketFile(f), 'tickets/tk-abcd1234.md');
    expect(fieldsOf(back)).toEqual({ id: 'tk-abcd1234', title: 'Windows file', status: 'done' });
    expect(back.body).toBe('Line one\r\n');
    expect(serializeTicketFile(f)).toContain('# keep me');
  });

  it('a CRLF file with comments keeps them', () => {
    const text =
      '---\r\nid: tk-abcd1234\r\n---\r\nBody\r\n\r\n## Comments\r\n\r\n' +
      '<!-- comment id="c-aaaaaa" author="al" created="2026-11-21T10:02:11Z" -->\r\n**al** · 2026-11-21 10:02 UTC\r\n\r\nHello\r\n';
    const f = parseTicketFile(text, 'tickets/tk-abcd1234.md');
    expect(f.comments).toEqual([{ id: 'c-aaaaaa', author: 'al', created: '2026-11-21T10:02:11Z', text: 'Hello' }]);
    expect(f.body.trim()).toBe('Body');
  });

  it('a UTF-8 byte order mark is accepted', () => {
    const f = parseTicketFile('\ufeff---\nid: tk-abcd1234\n---\n', 'tickets/tk-abcd1234.md');
    expect(fieldsOf(f)).toEqual({ id: 'tk-abcd1234' });
  });
});

describe('ticket codec: writing', () => {
  it('newTicketFile writes fields in order and lists in flow style', () => {
    const f = newTicketFile(
      [
        ['id', 'tk-abcd1234'],
        ['title', 'A: b # c'],
        ['labels', ['x', 'y']],
        ['assignee', null],
        ['created', '2026-11-21T10:02:11Z'],
      ],
      'Body\n',
    );
    expect(serializeTicketFile(f)).toBe(
      '---\nid: tk-abcd1234\ntitle: "A: b # c"\nlabels: [x, y]\ncreated: 2026-11-21T10:02:11Z\n---\nBody\n',
    );
  });

  it('a new key goes before created/updated, and a trailing comment survives a value change', () => {
    const f = parseTicketFile(
      '---\nid: tk-1\nstatus: todo # workflow\ncreated: 2026-11-21T10:02:11Z\nupdated: 2026-11-21T10:02:11Z\n---\n',
      'x.md',
    );
    setField(f, 'status', 'done');
    setField(f, 'assignee', 'bob');
    setField(f, 'updated', '2026-11-22T00:00:00Z');
    expect(serializeTicketFile(f)).toBe(
      '---\nid: tk-1\nstatus: done # workflow\nassignee: bob\ncreated: 2026-11-21T10:02:11Z\nupdated: 2026-11-22T00:00:00Z\n---\n',
    );
  });

  it('an author name with a carriage return or U+2028 does not leak the header into the comment text', () => {
    for (const author of ['Ann\r', 'Ann\u2028Lee']) {
      const f = newTicketFile([['id', 'tk-1']], '');
      f.comments.push({ id: 'c-000001', author, created: '2026-11-21T10:02:11Z', text: 'hello' });
      const back = parseTicketFile(serializeTicketFile(f), 'x.md');
      expect(back.comments).toHaveLength(1);
      expect(back.comments[0].text).toBe('hello');
    }
  });

  it('comments are appended readably after the body', () => {
    const f = newTicketFile([['id', 'tk-1']], 'Desc\n\n');
    f.comments.push({ id: 'c-000001', author: 'alice', created: '2026-11-21T10:02:11Z', text: 'Reproduced on main' });
    expect(serializeTicketFile(f)).toBe(
      '---\nid: tk-1\n---\nDesc\n\n## Comments\n\n' +
        '<!-- comment id="c-000001" author="alice" created="2026-11-21T10:02:11Z" -->\n**alice** · 2026-11-21 10:02 UTC\n\nReproduced on main\n',
    );
  });
});

describe('parseTicketData (the index reader)', () => {
  it('gives the same content as the full parser, on the fast path and off it', () => {
    const files = [
      '---\nid: tk-aaaa1111\ntitle: Plain\nlabels: [a, b]\ncreated: 2026-11-21T10:02:11Z\n---\nBody #tag\n',
      '---\nid: tk-aaaa1111 # a comment sends it to the full parser\ntitle: "Quoted: yes"\n---\nBody\n',
      '---\nid: tk-aaaa1111\ntitle: x\n---\nText\n\n## Comments\n\n<!-- comment id="c-1" author="al" created="2026-11-21T10:02:11Z" -->\n**al** · 2026-11-21 10:02 UTC\n\nHi\n',
    ];
    for (const f of files)
      expect(parseTicketData(f, 'tickets/x.md')).toEqual(dataOf(parseTicketFile(f, 'tickets/x.md')));
  });
});
