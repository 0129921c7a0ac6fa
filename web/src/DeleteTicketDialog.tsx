import { useState } from 'react';
import { api, ifMatch, type TicketDetails, ticketPath } from './api';
import { Dialog } from './Dialog';
import { listHref, navigate } from './router';

/**
 * Asks before deleting a ticket (one commit; git keeps its history). The delete carries the
 * version shown, so a ticket changed meanwhile is not deleted unseen: the server's refusal
 * is shown instead.
 */
export function DeleteTicketDialog({ t, close }: { t: TicketDetails; close: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    try {
      await api('DELETE', ticketPath(t.id), undefined, ifMatch(t.version));
      close();
      navigate(listHref());
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Dialog label="delete ticket" close={close}>
      <h2>Delete {t.short_id}?</h2>
      <blockquote className="muted">{t.title}</blockquote>
      <p className="muted small">
        Its file is removed in one commit: it disappears for everyone, and the store's git history keeps it.
      </p>
      {error && <div className="error">{error}</div>}
      <div className="buttons">
        <button type="button" autoFocus onClick={remove}>
          Delete
        </button>{' '}
        <button type="button" className="ghost" onClick={close}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
