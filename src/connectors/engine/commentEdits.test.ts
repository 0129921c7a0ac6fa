import { describe, expect, it } from 'vitest';
import type { Comment } from '../../model/comments.js';
import { editedComments, mergeCommentTexts } from './commentEdits.js';

const c = (id: string, text: string): Comment => ({ id, author: 'a', created: '2026-11-21T00:00:00Z', text });

describe('mergeCommentTexts', () => {
  it('takes the side that edited a comment since the base, whichever side won the ticket', () => {
    const base = [c('1', 'one'), c('2', 'two')];
    const ours = [c('1', 'one (edited here)'), c('2', 'two')];
    const theirs = [c('1', 'one'), c('2', 'two (edited there)')];
    expect(mergeCommentTexts(base, ours, theirs, theirs).map((x) => x.text)).toEqual([
      'one (edited here)',
      'two (edited there)',
    ]);
    expect(mergeCommentTexts(base, ours, theirs, ours).map((x) => x.text)).toEqual([
      'one (edited here)',
      'two (edited there)',
    ]);
  });

  it("keeps the winner's text when both sides edited, and leaves new comments alone", () => {
    const merged = mergeCommentTexts(
      [c('1', 'one')],
      [c('1', 'ours'), c('3', 'new')],
      [c('1', 'theirs')],
      [c('1', 'theirs'), c('3', 'new')],
    );
    expect(merged.map((x) => x.text)).toEqual(['theirs', 'new']);
  });
});

describe('editedComments', () => {
  it('lists the comments whose text differs from the remote copy, ignoring surrounding whitespace', () => {
    expect(
      editedComments([c('1', 'a'), c('2', 'b '), c('3', 'c')], [c('1', 'x'), c('2', 'b')]).map((x) => x.id),
    ).toEqual(['1']);
  });
});

describe('deleted comments and the services', () => {
  it('a tombstone is not an edit to send', () => {
    const gone: Comment = { ...c('1', ''), deleted: '2026-11-22T00:00:00Z' };
    expect(editedComments([gone, c('2', 'new text')], [c('1', 'old'), c('2', 'old')]).map((x) => x.id)).toEqual(['2']);
  });
});
