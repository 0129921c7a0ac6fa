import { describe, expect, it } from 'vitest';
import { afterPage, walkOf } from './githubPullWalk.js';

describe('the walk of a GitHub pull', () => {
  it('starts a pass a minute before the last mark, and moves `from` to the last second read', () => {
    const c = { since: '2026-01-01T10:00:00Z' };
    const walk = walkOf(c);
    expect(walk).toEqual({ from: '2026-01-01T09:59:00Z', page: 1, high: '2026-01-01T10:00:00Z' });
    const next = afterPage(c, walk, { times: ['2026-01-01T10:00:05Z', '2026-01-01T10:00:09Z'], hasNext: true });
    expect(next).toEqual({
      more: true,
      cursor: { since: c.since, walk: { from: '2026-01-01T10:00:09Z', page: 1, high: '2026-01-01T10:00:09Z' } },
    });
  });

  it('pages by number through a page that is all one second, and holds the mark back when that second stirred', () => {
    const second = '2026-01-01T10:00:00Z';
    const start = walkOf({});
    const tied = afterPage({}, start, {
      times: [second, second],
      hasNext: true,
      date: 'Thu, 01 Jan 2026 10:00:30 GMT',
    });
    expect(tied.cursor.walk).toMatchObject({ page: 2, tie: { second, at: '2026-01-01T10:00:30Z', stirred: false } });
    // An issue updated since the tie began shows on a later page: the pass ends held back, so the
    // next one (a minute before its mark) reads that second again.
    const end = afterPage(tied.cursor, tied.cursor.walk!, { times: [second, '2026-01-01T10:02:00Z'], hasNext: false });
    expect(end).toEqual({ more: false, cursor: { since: '2026-01-01T10:01:00Z', scan: undefined } });
  });

  it('keeps the ETag of an empty-handed first page only', () => {
    const c = { since: '2026-01-01T10:00:00Z' };
    const done = afterPage(c, walkOf(c), { times: [], hasNext: false, etag: 'W/"x"' });
    expect(done.cursor.etag).toEqual({ since: '2026-01-01T09:59:00Z', value: 'W/"x"' });
    const moved = afterPage(c, walkOf(c), { times: ['2026-01-01T10:05:00Z'], hasNext: false, etag: 'W/"y"' });
    expect(moved.cursor.etag).toBeUndefined();
  });
});
