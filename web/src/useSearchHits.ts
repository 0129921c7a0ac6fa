import { useEffect, useState } from 'react';
import { enc, get, type Ticket } from './api';

interface Hit extends Ticket {
  snippet: string;
}

/** How long typing must pause before the server is asked: one search per word, not per key. */
const DEBOUNCE_MS = 180;
/** Enough hits for a list; the server ranks them, so the best come first. */
const LIMIT = 500;
const MIN_CHARS = 2;

/**
 * The server's full-text search (`/api/search`: descriptions, comments, imported aliases)
 * for `text`, as ticket id → snippet. Empty until the answer arrives; an answer for
 * text since replaced is dropped.
 */
export function useSearchHits(text: string, open: boolean): ReadonlyMap<string, string> {
  const [hits, setHits] = useState<{ text: string; map: ReadonlyMap<string, string> }>({ text: '', map: new Map() });
  const q = text.trim();
  // One letter matches nearly everything by prefix: the local filter answers that alone.
  const ask = q.length >= MIN_CHARS;
  useEffect(() => {
    if (!ask) return;
    let stale = false;
    const timer = setTimeout(() => {
      get<Hit[]>(`/api/search?words=${enc(q)}&limit=${LIMIT}${open ? '&open=true' : ''}`).then(
        (found) => stale || setHits({ text: q, map: new Map(found.map((h) => [h.id, h.snippet])) }),
        // Search is an addition to the local filter: if it fails, the local matches stand.
        () => undefined,
      );
    }, DEBOUNCE_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [q, open]);
  return ask && hits.text === q ? hits.map : EMPTY;
}

const EMPTY: ReadonlyMap<string, string> = new Map();
