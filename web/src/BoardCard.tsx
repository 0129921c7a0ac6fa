import type { Ticket } from './api';
import { LabelChip } from './LabelChip';
import { navigate } from './router';
import { PriorityMark } from './TicketRow';

/**
 * One card of the board: `Tab` reaches it, `Enter` opens it, `Shift+←/→` moves it a column,
 * it drags (its id as the drag's text), and on touch screens its menu moves it.
 */
export function BoardCard({
  t,
  column,
  columns,
  name,
  step,
  moveTo,
}: {
  t: Ticket;
  /** The column it is in, and every column its menu offers (keys), with their names. */
  column: string;
  columns: string[];
  name: (key: string) => string;
  step: (d: 1 | -1) => void;
  moveTo: (key: string) => void;
}) {
  return (
    <div
      className="card"
      draggable
      tabIndex={0}
      role="listitem"
      aria-keyshortcuts="Enter Shift+ArrowLeft Shift+ArrowRight"
      title="Enter opens; Shift+← → moves it a column"
      data-id={t.id}
      onKeyDown={(e) => {
        if (e.target !== e.currentTarget) return; // the move menu's own keys
        if (e.key === 'Enter') navigate(`/t/${t.id}`);
        else if (e.shiftKey && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
          e.preventDefault();
          step(e.key === 'ArrowRight' ? 1 : -1);
        } else return;
        e.stopPropagation();
      }}
      onDragStart={(e) => {
        e.dataTransfer.setData('text/plain', t.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onClick={() => navigate(`/t/${t.id}`)}
    >
      <div className="muted small">
        <span className="id">{t.short_id}</span> <PriorityMark p={t.priority} />
      </div>
      <div>{t.title}</div>
      {/* Touch screens cannot drag: a menu moves the card instead. */}
      <select
        className="move-menu"
        aria-label={`move ${t.short_id} to`}
        value={column}
        onClick={(e) => e.stopPropagation()}
        onChange={(e) => moveTo(e.target.value)}
      >
        {columns.map((k) => (
          <option key={k} value={k}>
            {name(k)}
          </option>
        ))}
      </select>
      {t.labels.length > 0 && (
        <div>
          {t.labels.map((l) => (
            <LabelChip key={l} name={l} />
          ))}
        </div>
      )}
    </div>
  );
}
