import { useMemo } from 'react';
import { useStore } from './store';
import { TicketRow } from './TicketRow';

/** Everything labelled with one tag, notes and tickets alike. */
export function TagPage({ tag }: { tag: string }) {
  const { tickets } = useStore();
  const list = useMemo(
    () =>
      [...tickets.values()].filter((t) => t.labels.includes(tag)).sort((a, b) => b.updated.localeCompare(a.updated)),
    [tickets, tag],
  );
  return (
    <div className="tag-page">
      <h2>
        #{tag} <span className="muted">{list.length}</span>
      </h2>
      {list.map((t) => (
        <TicketRow key={t.id} t={t} selected={false} />
      ))}
    </div>
  );
}
