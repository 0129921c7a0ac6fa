import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, enc, get, ifMatch, type TicketDetails } from './api';
import { onTicketChange, putTicket } from './store';

export interface Conflict {
  /** What this page tried to write. */
  mine: Record<string, unknown>;
  /** The ticket as it is now on the server. */
  theirs: TicketDetails;
}

/** One ticket's details, re-read when the event stream says it changed; writes carry If-Match. */
export function useTicket(id: string) {
  const [t, setT] = useState<TicketDetails | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const fullId = useRef(id);
  const load = useCallback(async () => {
    try {
      const d = await get<TicketDetails>(`/api/tickets/${enc(id)}`);
      fullId.current = d.id;
      setT(d);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [id]);
  useEffect(() => {
    setT(null);
    void load();
    return onTicketChange((changed) => {
      if (changed === null || changed === fullId.current) void load();
    });
  }, [id]);

  /** PATCH the ticket; on 409 the conflict is kept for the user to settle. */
  const update = useCallback(async (patch: Record<string, unknown>, version = t?.version): Promise<boolean> => {
    try {
      const res = await api<TicketDetails>('PATCH', `/api/tickets/${enc(id)}`, patch, ifMatch(version));
      putTicket(res);
      await load();
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'conflict') {
        setConflict({ mine: patch, theirs: await get<TicketDetails>(`/api/tickets/${enc(id)}`) });
        return false;
      }
      setError((e as Error).message);
      return false;
    }
  }, [id, t?.version]);

  /** Another write to this ticket (comment, link, label): same If-Match, same conflict rule. */
  const write = useCallback(async (method: string, path: string, body?: unknown): Promise<boolean> => {
    try {
      await api(method, `/api/tickets/${enc(id)}${path}`, body, ifMatch(t?.version));
      await load();
      return true;
    } catch (e) {
      setError((e as Error).message);
      if (e instanceof ApiError && e.code === 'conflict') await load();
      return false;
    }
  }, [id, t?.version]);

  return { t, error, setError, conflict, setConflict, update, write, reload: load };
}
