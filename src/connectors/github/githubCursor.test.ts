import { describe, expect, it } from 'vitest';
import { decodeGithubCursor, encodeGithubCursor } from './githubCursor.js';

describe('github cursor', () => {
  it('keeps a first pass unfiltered across a save: "from everything" survives JSON', () => {
    const saved = encodeGithubCursor({ walk: { from: null, page: 2, high: '2026-12-01T10:00:00Z' } });
    const back = decodeGithubCursor(JSON.parse(JSON.stringify(saved)));
    // An absent `from` would read as "no walk yet" or a different query; null is kept.
    expect(back.walk).toEqual({ from: null, page: 2, high: '2026-12-01T10:00:00Z' });
    expect(Object.hasOwn(back.walk!, 'from')).toBe(true);
  });

  it('starts over on a cursor it cannot read', () => {
    expect(decodeGithubCursor('not json')).toEqual({});
    expect(decodeGithubCursor('null')).toEqual({});
    expect(decodeGithubCursor(undefined)).toEqual({});
  });
});
