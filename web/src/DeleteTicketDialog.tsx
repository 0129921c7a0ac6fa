import { useState } from 'react';
import { api, ApiError, ifMatch, type TicketDetails, ticketPath } from './api';
import { Dialog } from './Dialog';
import { listHref, navigate } from './router';

/**
 * Asks before deleting a ticket (one commit; git keeps its history). The delete carries the
 * version shown, so a ticket changed meanwhile is not deleted unseen: the server's refusal
 * is shown instead.
 */
export function DeleteTicketDialog({ t, close }: { t: TicketDetails; close: () => void }) {
  const [error, setError] = useState<string | null>(null);
  // Refused because other tickets point at it: how many, to offer dropping those references too.
  const [pointing, setPointing] = useState(0);
  const remove = async (force: boolean) => {
    try {
      await api('DELETE', `${ticketPath(t.id)}${force ? '?force=true' : ''}`, undefined, ifMatch(t.version));
      close();
      navigate(listHref());
    } catch (e) {
      setError((e as Error).message);
      const refs = e instanceof ApiError && e.code === 'conflict' ? e.details.referrers : undefined;
      setPointing(Array.isArray(refs) ? refs.length : 0);
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
        <button type="button" autoFocus onClick={() => remove(false)}>
          Delete
        </button>{' '}
        {pointing > 0 && (
          <>
            <button type="button" onClick={() => remove(true)}>
              Delete and drop {pointing === 1 ? 'the reference' : `the ${pointing} references`} to it
            </button>{' '}
          </>
        )}
        <button type="button" className="ghost" onClick={close}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
