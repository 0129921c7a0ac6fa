import { memo } from 'react';
import type { Ticket } from './api';
import { navigate } from './router';
import { LabelChip } from './LabelChip';

const PRIORITY_ICON: Record<string, string> = { urgent: '!!!', high: '!!', medium: '!', low: '·', none: '' };

export function PriorityMark({ p }: { p: string }) {
  return (
    <span className={`prio prio-${p}`} title={p}>
      {PRIORITY_ICON[p] ?? ''}
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
      <span className="assignee">{t.assignee ?? ''}</span>
    </a>
  );
});
