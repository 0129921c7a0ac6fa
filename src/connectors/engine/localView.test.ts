import { describe, expect, it } from 'vitest';
import { parseSchemaText } from '../../store/storeReader.js';
import { DEFAULT_SCHEMA_YAML } from '../../model/schema.js';
import { parseTicketFile, serializeTicketFile } from '../../model/ticketCodec.js';
import type { RemoteIssue } from '../connector.js';
import {
  agreedView,
  importedCommentId,
  remotePatch,
  sameView,
  userMap,
  viewFromRemote,
  viewOf,
  withView,
} from './localView.js';

const schema = parseSchemaText(DEFAULT_SCHEMA_YAML);
const file = () =>
  parseTicketFile(
    `---
id: tk-1
title: Parser bug
status: in-review
priority: high
labels: [parser, bug]
assignee: ali
created: 2026-11-01T00:00:00Z
updated: 2026-11-02T00:00:00Z
# a comment that must survive
custom: kept
---
The body.

<!-- comment id="c-1" author="ali" created="2026-11-02T00:00:00Z" -->
**ali** · 2026-11-02 00:00 UTC

First
`,
    'tickets/tk-1.md',
  );
const remote = (over: Partial<RemoteIssue> = {}): RemoteIssue => ({
  id: 'r1',
  key: 'ENG-1',
  url: 'u',
  title: 'Parser bug',
  description: 'The body.',
  state: 'started',
  priority: 'high',
  labels: ['bug', 'parser'],
  assignee: 'alice',
  due: null,
  createdAt: '2026-11-01T00:00:00Z',
  updatedAt: '2026-11-03T00:00:00Z',
  comments: [{ id: 'rc1', author: 'alice', body: 'First', createdAt: '2026-11-02T00:00:01Z', tackId: 'c-1' }],
  ...over,
});

describe('localView', () => {
  it('reads the synced fields, sorted and normalized', () => {
    const v = viewOf(file(), schema);
    expect(v).toMatchObject({
      title: 'Parser bug',
      status: 'in-review',
      priority: 'high',
      labels: ['bug', 'parser'],
      assignee: 'ali',
      due: null,
      body: 'The body.\n',
    });
    expect(v.comments.map((c) => c.id)).toEqual(['c-1']);
  });

  it('writes a view back touching only what changed, keeping other fields and YAML comments', () => {
    const f = file();
    const out = withView(f, { ...viewOf(f, schema), title: 'New' }, schema);
    const text = serializeTicketFile(out);
    expect(text).toContain('title: New');
    expect(text).toContain('# a comment that must survive');
    expect(text).toContain('labels: [parser, bug]'); // unchanged: not rewritten
    expect(serializeTicketFile(f)).toContain('title: Parser bug'); // the input is not mutated
  });

  it('keeps a comment deleted here deleted, though the service still has its text and takes edits', () => {
    const cur = viewOf(file(), schema);
    const gone = { ...cur.comments[0], text: '', deleted: '2026-11-04T00:00:00Z' };
    const { view } = viewFromRemote(remote(), schema, userMap(), {
      current: { ...cur, comments: [gone] },
      commentEdits: true,
    });
    expect(view.comments).toEqual([gone]);
  });

  it('maps a remote issue into Tack terms: same-category status kept, comments by marker, users through the map', () => {
    const users = userMap({ ali: 'alice' });
    const cur = viewOf(file(), schema);
    const { view, commentMap } = viewFromRemote(
      remote({
        comments: [
          ...remote().comments!,
          { id: 'rc2', author: 'bob', body: 'Second ', createdAt: '2026-11-03T00:00:00Z' },
        ],
      }),
      schema,
      users,
      { current: cur },
    );
    expect(view.status).toBe('in-review'); // started = started: the local name stays
    expect(view.assignee).toBe('ali');
    expect(view.comments[0]).toBe(cur.comments[0]); // our own comment, verbatim
    expect(view.comments[1]).toMatchObject({ id: importedCommentId('rc2'), author: 'bob', text: 'Second' });
    expect(commentMap).toEqual({ rc1: 'c-1', rc2: importedCommentId('rc2') });
    expect([...users.unknown]).toEqual(['remote user "bob"']);
    expect(sameView(view, cur)).toBe(false);
  });

  it('a category change picks the first state of that category; a round trip does not count as a change', () => {
    const cur = viewOf(file(), schema);
    expect(viewFromRemote(remote({ state: 'completed' }), schema, userMap(), { current: cur }).view.status).toBe(
      'done',
    );
    const coarse = (c: string) => (c === 'completed' || c === 'canceled' ? c : 'unstarted') as never;
    expect(
      viewFromRemote(remote({ state: 'unstarted' }), schema, userMap(), { current: cur, roundTrip: coarse }).view
        .status,
    ).toBe('in-review');
    expect(viewFromRemote(remote({ state: 'unstarted' }), schema, userMap(), { current: cur }).view.status).toBe(
      'todo',
    );
  });

  it('a deleted remote item only cancels: its (possibly empty) fields are not merged', () => {
    const cur = viewOf(file(), schema);
    const { view } = viewFromRemote(remote({ deleted: true, title: '', description: '' }), schema, userMap(), {
      current: cur,
    });
    expect(view).toEqual({ ...cur, status: 'canceled' });
  });

  it('imported comment ids are deterministic, so every clone imports a comment alike', () => {
    expect(importedCommentId('abc')).toBe(importedCommentId('abc'));
    expect(importedCommentId('abc')).not.toBe(importedCommentId('abd'));
    expect(importedCommentId('abc')).toMatch(/^c-[0-9a-z]{1,8}$/);
  });

  it('patches only the fields that differ; an unmapped Tack user is not pushed and stays pending', () => {
    const users = userMap({ ali: 'alice' });
    const have = viewOf(file(), schema);
    const want = { ...have, title: 'T2', status: 'done', labels: ['bug'], assignee: 'zed', body: 'New body\n' };
    const p = remotePatch(want, have, schema, users);
    expect(p).toEqual({ title: 'T2', description: 'New body', state: 'completed', labels: ['bug'] });
    expect([...users.unknown]).toEqual(['tack user "zed"']);
    expect(agreedView(want, have, p, schema).assignee).toBe('ali');
    expect(remotePatch(have, have, schema, users)).toEqual({});
    expect(remotePatch({ ...have, status: 'in-progress' }, have, schema, users)).toEqual({}); // same category
  });
});
