import { useMemo, useState } from 'react';
import { useStore } from './store';
import type { Ticket } from './api';

/** Type to find a ticket by title or id; arrows and enter pick one. */
export function TicketPicker({
  onPick,
  exclude,
  autoFocus = true,
  docs = [],
  onPickDoc,
  onCancel,
}: {
  onPick: (id: string, t: Ticket) => void;
  exclude?: string;
  autoFocus?: boolean;
  docs?: string[];
  onPickDoc?: (path: string) => void;
  onCancel?: () => void;
}) {
  // On a direct ticket link the summaries arrive after the page has shown.
  const { tickets, loaded } = useStore();
  const [q, setQ] = useState('');
  const [i, setI] = useState(0);
  const hits = useMemo(() => {
    const s = q.toLowerCase();
    const ts = [...tickets.values()]
      .filter((t) => t.id !== exclude && (!s || t.title.toLowerCase().includes(s) || t.id.startsWith(s)))
      .slice(0, 8)
      .map((t) => ({ kind: 'ticket' as const, key: t.id, t }));
    const ds = docs
      .filter((d) => !s || d.toLowerCase().includes(s))
      .slice(0, 4)
      .map((d) => ({ kind: 'doc' as const, key: d, d }));
    return [...ts, ...ds];
  }, [q, tickets, docs]);
  const pick = (n: number) => {
    const h = hits[n];
    if (!h) return;
    if (h.kind === 'ticket') onPick(h.t.id, h.t);
    else onPickDoc?.(h.d);
  };
  return (
    <div className="picker">
      <input
        aria-label="find ticket"
        autoFocus={autoFocus}
        placeholder="Find a ticket…"
        value={q}
        onChange={(e) => (setQ(e.target.value), setI(0))}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') e.preventDefault(), setI(Math.min(hits.length - 1, i + 1));
          else if (e.key === 'ArrowUp') e.preventDefault(), setI(Math.max(0, i - 1));
          else if (e.key === 'Enter') e.preventDefault(), pick(i);
          else if (e.key === 'Escape') e.stopPropagation(), onCancel?.();
        }}
      />
      <div className="picker-list">
        {!loaded && <div className="muted small picker-note">Loading tickets…</div>}
        {hits.map((h, n) => (
          <div
            key={h.key}
            className={`picker-item ${n === i ? 'selected' : ''}`}
            onMouseDown={(e) => (e.preventDefault(), pick(n))}
          >
            {h.kind === 'ticket' ? (
              <>
                <span className="id">{h.t.short_id}</span> {h.t.title} <span className="muted">{h.t.status}</span>
              </>
            ) : (
              <>
                <span className="id">doc</span> {h.d}
              </>
            )}
          </div>
        ))}
      </div>
    </div>
  );
}
