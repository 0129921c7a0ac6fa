import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, get, ifMatch, type TicketDetails, ticketPath } from './api';
import { markShown, onTicketChange, putTicket, wasDeleted } from './store';

export interface Conflict {
  /** What this page tried to write. */
  mine: Record<string, unknown>;
  /** The ticket as it is now on the server. */
  theirs: TicketDetails;
}

/** One ticket's details, re-read when the event stream says it changed; writes carry If-Match. */
export function useTicket(id: string) {
  const [t, setT] = useState<TicketDetails | null>(null);
  // A failed write's error stays until dismissed (or the next write); a failed read's only
  // until a read succeeds: a re-read the event stream asks for must not hide a write's error.
  const [writeError, setError] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const fullId = useRef(id);
  // The newest version this page knows (from reads and from its own writes' answers), and
  // a queue so quick successive edits each build on the previous one's version.
  const known = useRef<string | undefined>(undefined);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  // Our own writes: version before → version after. An edit that began before one of them
  // is not in conflict with it; it is carried forward along this chain.
  const ownNext = useRef(new Map<string, string>());
  const carry = (v: string | undefined) => {
    for (let i = 0; v && ownNext.current.has(v) && i < 100; i++) v = ownNext.current.get(v);
    return v;
  };
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.current.then(fn, fn);
    queue.current = p.catch(() => undefined);
    return p;
  };
  const gone = `No ticket has the id “${id}”: it was deleted, or the link is mistyped.`;
  const load = useCallback(async () => {
    try {
      if (wasDeleted(fullId.current)) return void setLoadError(gone);
      const d = await get<TicketDetails>(ticketPath(id));
      fullId.current = d.id;
      known.current = d.version;
      setT(d);
      setLoadError(null);
    } catch (e) {
      // The server's words name CLI commands; a reader of the web UI gets its own.
      setLoadError(e instanceof ApiError && e.status === 404 ? gone : (e as Error).message);
    } finally {
      markShown();
    }
  }, [id]);
  useEffect(() => {
    setT(null);
    void load();
    return onTicketChange((changed) => {
      if (changed === null || changed === fullId.current) void load();
    });
  }, [id]);

  /**
   * PATCH the ticket. `base` is the version the user's edit started from (a description
   * or title being typed); without it the newest known version (a status pick). On 409
   * the conflict is kept for the user to settle.
   */
  const update = useCallback(
    (patch: Record<string, unknown>, base?: string): Promise<boolean> =>
      serial(async () => {
        try {
          const sent = base ? carry(base) : known.current;
          const res = await api<TicketDetails>('PATCH', ticketPath(id), patch, ifMatch(sent));
          if (sent && res.version) ownNext.current.set(sent, res.version);
          known.current = res.version;
          setError(null); // this write went through: an earlier one's error is old news
          putTicket(res);
          await load();
          return true;
        } catch (e) {
          if (e instanceof ApiError && e.code === 'conflict') {
            setConflict({ mine: patch, theirs: await get<TicketDetails>(ticketPath(id)) });
            return false;
          }
          setError((e as Error).message);
          return false;
        }
      }),
    [id],
  );

  /**
   * Additive writes (a comment, a link, a label): they cannot overwrite anyone's change,
   * so they carry no If-Match and never conflict; queued behind this page's other writes.
   */
  const write = useCallback(
    (method: string, path: string, body?: unknown): Promise<boolean> =>
      serial(async () => {
        try {
          await api(method, `${ticketPath(id)}${path}`, body);
          setError(null);
          await load();
          return true;
        } catch (e) {
          setError((e as Error).message);
          return false;
        }
      }),
    [id],
  );

  const error = writeError ?? loadError;
  const dismiss = useCallback((e: string | null) => {
    setError(e);
    if (e === null) setLoadError(null);
  }, []);
  return { t, error, setError: dismiss, conflict, setConflict, update, write, reload: load };
}
