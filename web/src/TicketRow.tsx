import type { Ticket } from './api';

const PRIORITY_ICON: Record<string, string> = { urgent: '!!!', high: '!!', medium: '!', low: '·', none: '' };

export function PriorityMark({ p }: { p: string }) {
  return <span className={`prio prio-${p}`} title={p}>{PRIORITY_ICON[p] ?? ''}</span>;
}

export function StatusDot({ category }: { category: string }) {
  return <span className={`dot cat-${category}`} />;
}

export function TicketRow({ t, selected, onOpen }: { t: Ticket; selected: boolean; onOpen: () => void }) {
  return (
    <div className={`row ${selected ? 'selected' : ''}`} data-id={t.id} onClick={onOpen}>
      <PriorityMark p={t.priority} />
      <span className="id">{t.short_id || t.id}</span>
      <StatusDot category={t.category} />
      <span className="title">{t.title}</span>
      <span className="labels">{t.labels.map((l) => <span key={l} className="label">{l}</span>)}</span>
      <span className="status">{t.status}</span>
      <span className="assignee">{t.assignee ?? ''}</span>
    </div>
  );
}
