import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { merge3 } from './diff3.js';
import { mergeStoreFile, mergeText, mergeTicketText } from './merge.js';
import { formatComment, type Comment } from './comments.js';
import { fieldsOf, parseTicketFile } from './ticketCodec.js';

const T0 = '2026-11-21T10:00:00Z';
const T1 = '2026-11-21T11:00:00Z';
const T2 = '2026-11-21T12:00:00Z';

function ticket(fields: Record<string, unknown>, body = 'Body line 1\nBody line 2\n', comments = ''): string {
  const all: Record<string, unknown> = {
    id: 'tk-aaaa1111',
    title: 'A ticket',
    status: 'todo',
    created: T0,
    updated: T0,
    ...fields,
  };
  const yaml = Object.entries(all)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`)
    .join('\n');
  return `---\n${yaml}\n---\n${body}${comments}`;
}

const fieldsOfText = (text: string) => fieldsOf(parseTicketFile(text, 'tickets/tk-aaaa1111.md'));
// Sets have no order to compare; the merge keeps the winner's order, then the other's adds.
const norm = (v: unknown) => (Array.isArray(v) ? [...v].sort() : (v ?? undefined));
const NO_MARKERS = /^(<<<<<<<|=======|>>>>>>>)/m;

describe('merge3 (line diff3)', () => {
  const rows: Array<[string, string[], string[], string[], string[] | 'conflict']> = [
    ['nothing changed', ['a', 'b'], ['a', 'b'], ['a', 'b'], ['a', 'b']],
    ['ours changed', ['a', 'b'], ['a', 'B'], ['a', 'b'], ['a', 'B']],
    ['theirs changed', ['a', 'b'], ['a', 'b'], ['A', 'b'], ['A', 'b']],
    ['both, different lines', ['a', 'b', 'c'], ['A', 'b', 'c'], ['a', 'b', 'C'], ['A', 'b', 'C']],
    ['both, same change', ['a', 'b'], ['a', 'X'], ['a', 'X'], ['a', 'X']],
    ['both, same line differently', ['a', 'b', 'c'], ['a', 'X', 'c'], ['a', 'Y', 'c'], 'conflict'],
    ['insert at start and append', ['a'], ['0', 'a'], ['a', 'z'], ['0', 'a', 'z']],
    ['both append differently', ['a'], ['a', 'x'], ['a', 'y'], 'conflict'],
    ['delete vs unchanged', ['a', 'b', 'c'], ['a', 'c'], ['a', 'b', 'c'], ['a', 'c']],
    ['delete vs edit elsewhere', ['a', 'b', 'c', 'd'], ['a', 'c', 'd'], ['a', 'b', 'c', 'D'], ['a', 'c', 'D']],
    ['empty base, same text', [], ['x'], ['x'], ['x']],
    ['empty base, different text', [], ['x'], ['y'], 'conflict'],
  ];
  it('very large files: the changed middle becomes one chunk instead of a huge table', () => {
    const big = (tag: string) => Array.from({ length: 2500 }, (_, i) => `${tag}${i}`);
    const chunks = merge3(['head', ...big('b'), 'tail'], ['head', ...big('o'), 'tail'], ['head', ...big('b'), 'tail']);
    expect(chunks).toEqual([{ kind: 'ok', lines: ['head', ...big('o'), 'tail'] }]);
  });

  it.each(rows)('%s', (_n, base, ours, theirs, want) => {
    const chunks = merge3(base, ours, theirs);
    if (want === 'conflict') expect(chunks.some((c) => c.kind === 'conflict')).toBe(true);
    else expect(chunks).toEqual(want.length ? [{ kind: 'ok', lines: want }] : []);
  });
});

describe('mergeTicketText: fields three-way', () => {
  type Row = [
    string,
    Record<string, unknown>,
    Record<string, unknown>,
    Record<string, unknown>,
    Record<string, unknown>,
    string[],
  ];
  const rows: Row[] = [
    ['one side changes a scalar', {}, { status: 'doing', updated: T1 }, {}, { status: 'doing', updated: T1 }, []],
    ['other side changes a scalar', {}, {}, { status: 'done', updated: T1 }, { status: 'done', updated: T1 }, []],
    [
      'different fields on each side',
      {},
      { status: 'doing', updated: T1 },
      { title: 'B', updated: T2 },
      { status: 'doing', title: 'B', updated: T2 },
      [],
    ],
    [
      'same change on both',
      {},
      { status: 'done', updated: T1 },
      { status: 'done', updated: T2 },
      { status: 'done', updated: T2 },
      [],
    ],
    [
      'scalar conflict, theirs later',
      {},
      { status: 'doing', updated: T1 },
      { status: 'done', updated: T2 },
      { status: 'done', updated: T2 },
      ['status'],
    ],
    [
      'scalar conflict, ours later',
      {},
      { status: 'doing', updated: T2 },
      { status: 'done', updated: T1 },
      { status: 'doing', updated: T2 },
      ['status'],
    ],
    ['add field on one side', {}, { assignee: 'alice', updated: T1 }, {}, { assignee: 'alice' }, []],
    [
      'remove field on one side',
      { assignee: 'bob' },
      { assignee: undefined, updated: T1 },
      {},
      { assignee: undefined },
      [],
    ],
    [
      'remove vs change',
      { assignee: 'bob' },
      { assignee: undefined, updated: T1 },
      { assignee: 'carol', updated: T2 },
      { assignee: 'carol' },
      ['assignee'],
    ],
    [
      'labels: adds on both',
      { labels: ['a'] },
      { labels: ['a', 'b'] },
      { labels: ['a', 'c'] },
      { labels: ['a', 'b', 'c'] },
      [],
    ],
    [
      'labels: add and remove',
      { labels: ['a', 'b'] },
      { labels: ['b'] },
      { labels: ['a', 'b', 'c'] },
      { labels: ['b', 'c'] },
      [],
    ],
    [
      'labels: both remove different',
      { labels: ['a', 'b', 'c'] },
      { labels: ['b', 'c'] },
      { labels: ['a', 'c'] },
      { labels: ['c'] },
      [],
    ],
    [
      'labels: remove all vs add',
      { labels: ['a'] },
      { labels: undefined },
      { labels: ['a', 'b'] },
      { labels: ['b'] },
      [],
    ],
    ['blocks: adds from nothing', {}, { blocks: ['tk-1'] }, { blocks: ['tk-2'] }, { blocks: ['tk-1', 'tk-2'] }, []],
    [
      'links: union',
      { links: ['docs/a.md'] },
      { links: ['docs/a.md', 'docs/b.md'] },
      { links: [] },
      { links: ['docs/b.md'] },
      [],
    ],
    [
      'unknown field kept',
      { estimate: 3 },
      { estimate: 5, updated: T1 },
      { title: 'X' },
      { estimate: 5, title: 'X' },
      [],
    ],
  ];
  it.each(rows)('%s', (_n, base, ours, theirs, want, conflictFields) => {
    const b = ticket(base);
    const o = ticket({ ...base, ...ours });
    const t = ticket({ ...base, ...theirs });
    for (const [x, y] of [
      [o, t],
      [t, o],
    ]) {
      const res = mergeTicketText(b, x, y, 'tickets/tk-aaaa1111.md');
      const f = fieldsOfText(res.text);
      for (const [k, v] of Object.entries(want)) expect(norm(f[k]), k).toEqual(norm(v));
      expect(res.conflicts.map((c) => c.field)).toEqual(conflictFields);
      if (conflictFields.length) {
        const stored = f.conflicts as Array<{ field: string; lost: unknown }>;
        expect(stored.map((c) => c.field)).toEqual(conflictFields);
        for (const c of res.conflicts) expect(stored.find((s) => s.field === c.field)!.lost).toEqual(c.lost);
      } else expect(f.conflicts).toBeUndefined();
      expect(res.text).not.toMatch(NO_MARKERS);
    }
  });

  it('is symmetric: merging (ours, theirs) and (theirs, ours) gives the same text', () => {
    const b = ticket({ labels: ['a'] });
    const o = ticket({ labels: ['a', 'x'], status: 'doing', updated: T1 }, 'Line one\nchanged by ours\n');
    const t = ticket({ labels: ['y'], status: 'done', updated: T1 }, 'Line one\nchanged by theirs\n');
    expect(mergeTicketText(b, o, t, 'p').text).toBe(mergeTicketText(b, t, o, 'p').text);
  });

  it('keeps key order, YAML comments and unknown fields of the winning version', () => {
    const b = '---\nid: tk-aaaa1111\ntitle: A # the title\nzeta: 1\nstatus: todo\nupdated: 2026-11-21T10:00:00Z\n---\n';
    const o = b.replace('status: todo', 'status: doing').replace('10:00:00Z', '11:00:00Z');
    const t = b.replace('zeta: 1', 'zeta: 2');
    const res = mergeTicketText(b, o, t, 'p');
    expect(res.text).toBe(
      '---\nid: tk-aaaa1111\ntitle: A # the title\nzeta: 2\nstatus: doing\nupdated: 2026-11-21T11:00:00Z\n---\n',
    );
  });

  it('accumulates earlier conflict records and keeps them through later merges', () => {
    const b = ticket({});
    const first = mergeTicketText(
      b,
      ticket({ status: 'doing', updated: T1 }),
      ticket({ status: 'done', updated: T2 }),
      'p',
    ).text;
    const second = mergeTicketText(
      first,
      first.replace('title: A ticket', 'title: X'),
      first.replace('title: A ticket', 'title: Y'),
      'p',
    );
    const f = fieldsOfText(second.text);
    expect((f.conflicts as Array<{ field: string }>).map((c) => c.field)).toEqual(['status', 'title']);
  });
});

describe('mergeTicketText: body and comments', () => {
  const c = (id: string, time: string, text: string) =>
    `<!-- comment id="${id}" author="a" created="${time}" -->\n**a** · x UTC\n\n${text}\n`;
  const withComments = (...cs: string[]) => `\n## Comments\n\n${cs.join('\n')}`;

  it('merges edits to different body lines', () => {
    const b = ticket({}, 'one\ntwo\nthree\n');
    const res = mergeTicketText(b, ticket({}, 'ONE\ntwo\nthree\n'), ticket({}, 'one\ntwo\nTHREE\n'), 'p');
    expect(parseTicketFile(res.text, 'p').body).toBe('ONE\ntwo\nTHREE\n');
    expect(res.conflicts).toEqual([]);
  });

  it('keeps the later version of conflicting lines and records the other, without markers', () => {
    const b = ticket({}, 'one\ntwo\n');
    const o = ticket({ updated: T2 }, 'one\nours wins\n');
    const t = ticket({ updated: T1 }, 'one\ntheirs loses\n');
    const res = mergeTicketText(b, o, t, 'p');
    expect(parseTicketFile(res.text, 'p').body).toBe('one\nours wins\n');
    expect(res.conflicts).toEqual([{ field: 'body', kept: 'ours wins\n', lost: 'theirs loses\n', keptSide: 'ours' }]);
    expect(res.text).toContain('theirs loses');
    expect(res.text).not.toMatch(NO_MARKERS);
  });

  it('unions comments by id, in time order, and honours nothing lost on concurrent appends', () => {
    const b = ticket({}, 'x\n', withComments(c('c-1', T0, 'first')));
    const o = ticket({}, 'x\n', withComments(c('c-1', T0, 'first'), c('c-3', T2, 'ours')));
    const t = ticket({}, 'x\n', withComments(c('c-1', T0, 'first'), c('c-2', T1, 'theirs')));
    const res = parseTicketFile(mergeTicketText(b, o, t, 'p').text, 'p');
    expect(res.comments.map((x) => x.id)).toEqual(['c-1', 'c-2', 'c-3']);
  });

  it('takes a comment edit made on one side only, whichever side wins the ticket', () => {
    const b = ticket({}, 'x\n', withComments(c('c-1', T0, 'first')));
    const o = ticket({ updated: T2 }, 'x\n', withComments(c('c-1', T0, 'first')));
    const t = ticket({ updated: T1 }, 'x\n', withComments(c('c-1', T0, 'first, edited')));
    const res = mergeTicketText(b, o, t, 'p');
    expect(parseTicketFile(res.text, 'p').comments.map((x) => x.text)).toEqual(['first, edited']);
    expect(res.conflicts).toEqual([]);
  });

  it("a comment edited on both sides keeps the winner's text and records the other", () => {
    const b = ticket({}, 'x\n', withComments(c('c-1', T0, 'first')));
    const o = ticket({ updated: T2 }, 'x\n', withComments(c('c-1', T0, 'ours edit')));
    const t = ticket({ updated: T1 }, 'x\n', withComments(c('c-1', T0, 'theirs edit')));
    const res = mergeTicketText(b, o, t, 'p');
    expect(parseTicketFile(res.text, 'p').comments.map((x) => x.text)).toEqual(['ours edit']);
    expect(res.conflicts).toEqual([{ field: 'comment c-1', kept: 'ours edit', lost: 'theirs edit', keptSide: 'ours' }]);
    expect(res.text).toContain('theirs edit');
  });

  it('a ticket added on both sides (no base) keeps everything', () => {
    const o = ticket({ status: 'doing', labels: ['a'], updated: T1 }, 'ours text\n', withComments(c('c-1', T0, 'hi')));
    const t = ticket({ status: 'done', labels: ['b'], updated: T2 }, 'theirs text\n', withComments(c('c-2', T1, 'yo')));
    const res = mergeTicketText(null, o, t, 'p');
    const file = parseTicketFile(res.text, 'p');
    const f = fieldsOf(file);
    expect(f.status).toBe('done');
    expect(f.labels).toEqual(['b', 'a']);
    expect(file.body).toBe('theirs text\n');
    expect(file.comments.map((x) => x.id)).toEqual(['c-1', 'c-2']);
    expect(res.conflicts.map((x) => x.field).sort()).toEqual(['body', 'status']);
    expect(res.text).toContain('ours text');
  });
});

describe('mergeText and mergeStoreFile', () => {
  it('preserves losing YAML lines as comments', () => {
    const res = mergeText('a: 1\nb: 2\n', 'a: 1\nb: 3\n', 'a: 1\nb: 4\n', 'schema.yaml');
    expect(res.text).toBe('a: 1\nb: 4\n# tack merge: a concurrent edit had these lines here instead:\n#   b: 3\n');
  });

  it('preserves losing markdown lines in a fenced block', () => {
    const res = mergeText('# T\nx\n', '# T\nours\n', '# T\ntheirs\n', 'docs/a.md');
    expect(res.text).toContain('ours');
    expect(res.text).toContain('theirs');
    expect(res.text).not.toMatch(NO_MARKERS);
  });

  it('takes the changed side when only one side changed, and merges unparseable tickets as text', () => {
    expect(mergeStoreFile('docs/a.md', 'x\n', 'x\n', 'y\n').text).toBe('y\n');
    const res = mergeStoreFile(
      'tickets/tk-1.md',
      'no front matter\n',
      'no front matter\nours\n',
      'theirs\nno front matter\n',
    );
    expect(res.text).toBe('theirs\nno front matter\nours\n');
  });
});

describe('mergeTicketText: properties', () => {
  const version = fc.record({
    status: fc.constantFrom('todo', 'doing', 'done'),
    labels: fc.subarray(['a', 'b', 'c', 'd']),
    updated: fc.constantFrom(T0, T1, T2),
    body: fc.array(fc.constantFrom('x', 'y', 'z', 'w'), { maxLength: 5 }),
  });
  const text = (v: { status: string; labels: string[]; updated: string; body: string[] }) =>
    ticket(
      { status: v.status, labels: v.labels.length ? v.labels : undefined, updated: v.updated },
      v.body.map((l) => `${l}\n`).join(''),
    );

  it('is symmetric, marker-free, and keeps every scalar and body line somewhere', () => {
    fc.assert(
      fc.property(version, version, version, (b, o, t) => {
        const one = mergeTicketText(text(b), text(o), text(t), 'p');
        expect(one.text).toBe(mergeTicketText(text(b), text(t), text(o), 'p').text);
        expect(one.text).not.toMatch(NO_MARKERS);
        const merged = fieldsOfText(one.text);
        const lost = (merged.conflicts as Array<{ field: string; lost: string }> | undefined) ?? [];
        for (const side of [o, t]) {
          if (side.status !== b.status)
            expect(
              merged.status === side.status || lost.some((c) => c.field === 'status' && c.lost === side.status),
            ).toBe(true);
        }
        const body =
          parseTicketFile(one.text, 'p').body +
          lost
            .filter((c) => c.field === 'body')
            .map((c) => c.lost)
            .join('');
        for (const side of [o, t]) for (const l of side.body) if (!b.body.includes(l)) expect(body).toContain(l);
        const labels = (merged.labels as string[] | undefined) ?? [];
        for (const l of ['a', 'b', 'c', 'd']) {
          const added = [o, t].some((s) => s.labels.includes(l) && !b.labels.includes(l));
          const onBoth = o.labels.includes(l) && t.labels.includes(l);
          // A label stays if both sides have it or one side added it; any removal wins.
          expect(labels.includes(l)).toBe(onBoth || added);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('mergeTicketText: edited and deleted comments', () => {
  const cm = (id: string, text: string, more: Partial<Comment> = {}): Comment => ({
    id,
    author: 'alice',
    created: id === 'c-1' ? T0 : T1,
    text,
    ...more,
  });
  const withC = (fields: Record<string, unknown>, ...cs: Comment[]) =>
    ticket(fields, 'x\n', `\n## Comments\n\n${cs.map(formatComment).join('\n')}`);
  const merged = (b: string, o: string, t: string) => {
    const res = mergeTicketText(b, o, t, 'p');
    return { ...res, comments: parseTicketFile(res.text, 'p').comments };
  };

  it('one side edits a comment, the other adds one: both stay, the edit keeps its time', () => {
    const b = withC({}, cm('c-1', 'first'));
    const o = withC({ updated: T2 }, cm('c-1', 'first', {}), cm('c-2', 'second'));
    const t = withC({ updated: T1 }, cm('c-1', 'first, fixed', { edited: T1 }));
    const res = merged(b, o, t);
    expect(res.comments).toEqual([cm('c-1', 'first, fixed', { edited: T1 }), cm('c-2', 'second')]);
    expect(res.conflicts).toEqual([]);
  });

  it('both sides edit the same comment: the later ticket wins, the other text is recorded', () => {
    const b = withC({}, cm('c-1', 'first'));
    const o = withC({ updated: T1 }, cm('c-1', 'ours', { edited: T1 }));
    const t = withC({ updated: T2 }, cm('c-1', 'theirs', { edited: T2 }));
    const res = merged(b, o, t);
    expect(res.comments).toEqual([cm('c-1', 'theirs', { edited: T2 })]);
    expect(res.conflicts).toEqual([{ field: 'comment c-1', kept: 'theirs', lost: 'ours', keptSide: 'theirs' }]);
    expect(fieldsOf(parseTicketFile(res.text, 'p')).conflicts).toEqual([
      { field: 'comment c-1', lost: 'ours', kept: 'theirs', at: T1 },
    ]);
  });

  it.each([
    ['the deleting side wins the ticket', T2, T1],
    ['the editing side wins the ticket', T1, T2],
  ])('one side deletes while the other edits (%s): the tombstone stays, the edit is recorded', (_n, tDel, tEdit) => {
    const b = withC({}, cm('c-1', 'first'), cm('c-2', 'other'));
    const del = withC({ updated: tDel }, cm('c-1', '', { deleted: tDel }), cm('c-2', 'other'));
    const edit = withC({ updated: tEdit }, cm('c-1', 'first, fixed', { edited: tEdit }), cm('c-2', 'other'));
    for (const [o, t] of [
      [del, edit],
      [edit, del],
    ]) {
      const res = merged(b, o, t);
      expect(res.comments).toEqual([cm('c-1', '', { deleted: tDel }), cm('c-2', 'other')]);
      expect(res.conflicts).toEqual([
        expect.objectContaining({ field: 'comment c-1', kept: null, lost: 'first, fixed' }),
      ]);
    }
  });

  it('a deleted comment is not brought back by a branch that never touched it', () => {
    const b = withC({}, cm('c-1', 'first'));
    const o = withC({ updated: T1 }, cm('c-1', '', { deleted: T1 }));
    const t = withC({ updated: T2, status: 'doing' }, cm('c-1', 'first'), cm('c-2', 'new'));
    const res = merged(b, o, t);
    expect(res.comments).toEqual([cm('c-1', '', { deleted: T1 }), cm('c-2', 'new')]);
    expect(res.conflicts).toEqual([]);
    expect(res.text).not.toContain('first');
  });
});
