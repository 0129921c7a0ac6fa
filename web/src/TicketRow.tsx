import { memo } from 'react';
import type { Ticket } from './api';
import { navigate } from './router';
import { LabelChip } from './LabelChip';
import { Avatar } from './Avatar';

/** How many of the three bars a priority fills (Linear's icons); urgent is its own mark. */
const PRIORITY_BARS: Record<string, number> = { high: 3, medium: 2, low: 1 };

/** A priority as an icon (its name for hover and for screen readers). */
export function PriorityMark({ p }: { p: string }) {
  const bars = PRIORITY_BARS[p];
  return (
    <span className={`prio prio-${p}`} title={p} role="img" aria-label={`priority ${p}`}>
      <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
        {p === 'urgent' ? (
          <>
            <rect x="1" y="1" width="12" height="12" rx="3" fill="currentColor" />
            <rect x="6" y="3.5" width="2" height="4.5" fill="var(--bg)" />
            <rect x="6" y="9.2" width="2" height="2" fill="var(--bg)" />
          </>
        ) : bars ? (
          [0, 1, 2].map((i) => (
            <rect
              key={i}
              x={1 + i * 4.5}
              y={10 - i * 3.5}
              width="3"
              height={3 + i * 3.5}
              rx="1"
              fill="currentColor"
              opacity={i < bars ? 1 : 0.3}
            />
          ))
        ) : (
          [0, 1, 2].map((i) => <rect key={i} x={1 + i * 4.5} y="6.5" width="3" height="1.5" fill="currentColor" />)
        )}
      </svg>
    </span>
  );
}

export function StatusDot({ category }: { category: string }) {
  return <span className={`dot cat-${category}`} />;
}

/** A search snippet, its `[matches]` marked. */
export function Snippet({ text }: { text: string }) {
  const parts = text.split(/\[([^\]]*)\]/);
  return <span className="snippet">{parts.map((p, i) => (i % 2 ? <mark key={i}>{p}</mark> : p))}</span>;
}

/** One line of the list; memoised, so scrolling renders only the rows that appear. */
export const TicketRow = memo(function TicketRow({
  t,
  selected,
  checked = false,
  onShiftClick,
  snippet,
}: {
  t: Ticket;
  selected: boolean;
  /** Picked for a bulk edit (x, shift-click). */
  checked?: boolean;
  onShiftClick?: (id: string) => void;
  /** Where a search found it, when not in its title. */
  snippet?: string;
}) {
  return (
    // A link: Tab reaches it, a middle click opens it in a new tab.
    <a
      className={`row ${selected ? 'selected' : ''} ${checked ? 'checked' : ''}`}
      href={`/t/${t.id}`}
      data-id={t.id}
      onClick={(e) => {
        if (e.shiftKey && onShiftClick && e.button === 0) {
          e.preventDefault();
          onShiftClick(t.id);
          return;
        }
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(`/t/${t.id}`);
      }}
    >
      <span className="check" aria-hidden="true">
        {checked ? '✓' : ''}
      </span>
      {checked && <span className="sr-only">selected, </span>}
      <PriorityMark p={t.priority} />
      <span className="id">{t.short_id || t.id}</span>
      <StatusDot category={t.category} />
      <span className="title">{t.title}</span>
      {snippet && <Snippet text={snippet} />}
      <span className="labels">
        {t.labels.map((l) => (
          <LabelChip key={l} name={l} />
        ))}
      </span>
      <span className="status">{t.status}</span>
      <span className="assignee">
        {t.assignee && (
          <>
            <Avatar name={t.assignee} /> {t.assignee}
          </>
        )}
      </span>
    </a>
  );
});
