import type { Comment } from '../../model/comments.js';

/**
 * Three-way merge of comment texts, per comment id, on top of `merged` (the ticket merge,
 * which keeps the winning side's copy of a comment both sides have). One side edited the
 * text since the base → that edit; both edited → the winner's copy stays, as for any
 * field both sides changed. Comments without a base text (new) are left as they are.
 */
export function mergeCommentTexts(base: Comment[], ours: Comment[], theirs: Comment[], merged: Comment[]): Comment[] {
  const text = (list: Comment[]) => new Map(list.map((c) => [c.id, c.text.trim()]));
  const [b, o, t] = [text(base), text(ours), text(theirs)];
  return merged.map((c) => {
    const [bt, ot, tt] = [b.get(c.id), o.get(c.id), t.get(c.id)];
    if (bt === undefined || ot === undefined || tt === undefined || ot === tt) return c;
    if (ot === bt) return c.text.trim() === tt ? c : { ...c, text: tt };
    if (tt === bt) return c.text.trim() === ot ? c : { ...c, text: ot };
    return c;
  });
}

/** The comments of `want` whose text differs from the remote's copy (`have`), by id. */
export function editedComments(want: Comment[], have: Comment[]): Comment[] {
  const there = new Map(have.map((c) => [c.id, c.text.trim()]));
  // A tombstone (a comment deleted here) has no text to send: it is not an edit.
  return want.filter((c) => c.deleted === undefined && there.has(c.id) && there.get(c.id) !== c.text.trim());
}
