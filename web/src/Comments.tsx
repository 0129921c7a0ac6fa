import { useState } from 'react';
import { enc, type Comment } from './api';
import { Dialog } from './Dialog';
import { Avatar } from './Avatar';
import { When } from './When';
import { Markdown } from './Markdown';
import { useMe } from './useMe';

type Write = (method: string, path: string, body?: unknown) => Promise<boolean>;

/**
 * A ticket's comments and the box for a new one. The user's own comments can be edited
 * in place (Save/Cancel, Ctrl+Enter, Escape) or deleted after a confirmation; the server
 * refuses anyone else's, so the buttons show only on one's own.
 */
export function Comments({ comments, write }: { comments: Comment[]; write: Write }) {
  const me = useMe();
  const [text, setText] = useState('');
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);
  const [deleting, setDeleting] = useState<Comment | null>(null);
  const post = async () => text.trim() && (await write('POST', '/comments', { text })) && setText('');
  // No If-Match: only the author may change a comment, and other fields' edits do not touch it.
  const save = async () => {
    if (!editing?.text.trim()) return;
    if (await write('PATCH', `/comments/${enc(editing.id)}`, { text: editing.text })) setEditing(null);
  };
  return (
    <>
      <h2 className="section-head">Comments</h2>
      {comments.map((c) =>
        editing?.id === c.id ? (
          <div key={c.id} className="comment">
            <textarea
              aria-label="edit comment"
              autoFocus
              value={editing.text}
              onChange={(e) => setEditing({ id: c.id, text: e.target.value })}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void save();
                if (e.key === 'Escape') {
                  e.stopPropagation();
                  setEditing(null);
                }
              }}
            />
            <button type="button" disabled={!editing.text.trim()} onClick={save}>
              Save
            </button>{' '}
            <button type="button" className="ghost" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        ) : (
          <div key={c.id} className="comment" data-comment={c.id}>
            <div className="comment-head muted small">
              <span>
                <Avatar name={c.author} /> {c.author} · <When iso={c.created} />
                {c.edited && <span title={`edited ${c.edited}`}> · edited</span>}
              </span>
              {me !== null && c.author === me && (
                <span className="comment-actions">
                  <button
                    type="button"
                    className="ghost"
                    aria-label={`edit comment ${c.id}`}
                    onClick={() => setEditing({ id: c.id, text: c.body })}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="ghost"
                    aria-label={`delete comment ${c.id}`}
                    onClick={() => setDeleting(c)}
                  >
                    Delete
                  </button>
                </span>
              )}
            </div>
            <Markdown text={c.body} />
          </div>
        ),
      )}
      <textarea
        aria-label="comment"
        placeholder="Leave a comment… (Ctrl+Enter)"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void post();
        }}
      />
      <button type="button" disabled={!text.trim()} onClick={post}>
        Comment
      </button>
      {deleting && (
        <Dialog label="delete comment" close={() => setDeleting(null)}>
          <h2>Delete this comment?</h2>
          <blockquote className="muted">{deleting.body.slice(0, 200)}</blockquote>
          <p className="muted small">It disappears for everyone; the store's git history keeps it.</p>
          <div className="buttons">
            <button
              type="button"
              autoFocus
              onClick={async () => {
                const id = deleting.id;
                setDeleting(null);
                await write('DELETE', `/comments/${enc(id)}`);
              }}
            >
              Delete
            </button>{' '}
            <button type="button" className="ghost" onClick={() => setDeleting(null)}>
              Cancel
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}
