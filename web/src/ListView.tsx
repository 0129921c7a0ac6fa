import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useStore } from './store';
import { navigate, rememberList, useSearch } from './router';
import { useKeys } from './keys';
import { filtersFromQuery, GROUPINGS, groupRows, matchesText, queryOf, valuesOf, type Filters } from './ticketOrder';
import { TicketRow } from './TicketRow';
import { SavedViews } from './SavedViews';
import { useSearchHits } from './useSearchHits';

const ROW = 34;
let rememberedSelection: string | null = null;

export function ListView({ paused }: { paused: boolean }) {
  const { tickets, schema } = useStore();
  // The filters live in the URL: a reload, a shared link and back/forward all keep them.
  const search = useSearch();
  const f = useMemo(() => filtersFromQuery(search), [search]);
  // Typing replaces the history entry (one per search, not per key); a menu pick adds one.
  const setF = (next: Filters, replace = false) => navigate(`/${queryOf(next)}`, { replace });
  rememberList(`/${queryOf(f)}`);
  const [selectedId, setSelectedId] = useState<string | null>(rememberedSelection);
  // Phones show the filter menus on demand; the count of those in use stays on the button.
  const [showFilters, setShowFilters] = useState(false);
  const active = (['state', 'type', 'label', 'assignee', 'priority', 'project'] as const).filter((k) => f[k]).length;
  const all = useMemo(() => [...tickets.values()], [tickets]);
  const hits = useSearchHits(f.text, f.state === '');
  const rows = useMemo(() => groupRows(all, f, hits), [all, f, hits]);
  // The filter menus' values: computed once per change of the tickets, not per scroll frame.
  const menus = useMemo(
    () => ({
      labels: valuesOf(all, (t) => t.labels),
      people: ['none', ...valuesOf(all, (t) => [t.assignee])],
      projects: valuesOf(all, (t) => [t.project]),
    }),
    [all],
  );
  const ticketIdx = useMemo(() => rows.flatMap((r, i) => (r.kind === 'ticket' ? [i] : [])), [rows]);
  const scroller = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 12,
  });
  rememberedSelection = selectedId;

  const sel = useMemo(
    () => rows.findIndex((r) => r.kind === 'ticket' && r.ticket.id === selectedId),
    [rows, selectedId],
  );
  const move = (d: number) => {
    if (!ticketIdx.length) return;
    const pos = ticketIdx.indexOf(sel);
    const next = ticketIdx[Math.max(0, Math.min(ticketIdx.length - 1, pos < 0 ? 0 : pos + d))];
    const r = rows[next];
    if (r.kind === 'ticket') setSelectedId(r.ticket.id);
    v.scrollToIndex(next, { align: 'auto' });
  };
  useEffect(() => {
    if (sel < 0 && ticketIdx.length && selectedId === null) {
      const r = rows[ticketIdx[0]];
      if (r.kind === 'ticket') setSelectedId(r.ticket.id);
    }
  }, [rows]);
  const keys: Record<string, () => void> = paused
    ? {}
    : {
        j: () => move(1),
        k: () => move(-1),
        ArrowDown: () => move(1),
        ArrowUp: () => move(-1),
        Enter: () => {
          if (selectedId) navigate(`/t/${selectedId}`);
        },
        '/': () => {
          document.getElementById('filter-text')?.focus();
        },
      };
  useKeys(keys);

  const set =
    <K extends keyof Filters>(k: K) =>
    (e: { target: { value: string } }) =>
      setF({ ...f, [k]: e.target.value }, k === 'text');
  const opts = (vals: string[], none = 'any') => [
    <option key="" value="">
      {none}
    </option>,
    ...vals.map((x) => (
      <option key={x} value={x}>
        {x}
      </option>
    )),
  ];
  // A ticket with two labels shows in both label groups: count it once.
  const count = useMemo(() => new Set(rows.flatMap((r) => (r.kind === 'ticket' ? [r.ticket.id] : []))).size, [rows]);

  return (
    <div className="list-view">
      <div className={`filters ${showFilters ? 'open' : ''}`}>
        <input
          id="filter-text"
          type="search"
          aria-label="search"
          placeholder="Search…  (/)"
          value={f.text}
          onChange={set('text')}
          onKeyDown={(e) => e.key === 'Escape' && (e.target as HTMLElement).blur()}
        />
        <button
          className="ghost filters-toggle"
          aria-expanded={showFilters}
          aria-controls="filter-menus"
          onClick={() => setShowFilters((o) => !o)}
        >
          Filters{active ? ` (${active})` : ''}
        </button>
        <div className="filter-menus" id="filter-menus">
          <select aria-label="state" value={f.state} onChange={set('state')}>
            <option value="">open</option>
            <option value="*">everything</option>
            {schema?.states.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
          <select aria-label="type" value={f.type} onChange={set('type')}>
            {opts(schema?.types ?? [], 'any type')}
          </select>
          <select aria-label="label" value={f.label} onChange={set('label')}>
            {opts(menus.labels, 'any label')}
          </select>
          <select aria-label="assignee" value={f.assignee} onChange={set('assignee')}>
            {opts(menus.people, 'anyone')}
          </select>
          <select aria-label="priority" value={f.priority} onChange={set('priority')}>
            {opts(schema?.priorities ?? [], 'any priority')}
          </select>
          <select aria-label="project" value={f.project} onChange={set('project')}>
            {opts(menus.projects, 'any project')}
          </select>
          <select aria-label="sort" value={f.sort} onChange={set('sort')}>
            {['priority', 'updated', 'created', 'title', 'id'].map((s) => (
              <option key={s} value={s}>
                sort: {s}
              </option>
            ))}
          </select>
          <select aria-label="group by" value={f.group} onChange={set('group')}>
            {GROUPINGS.map((g) => (
              <option key={g} value={g}>
                group: {g}
              </option>
            ))}
          </select>
        </div>
        <span className="muted count" data-testid="count">
          {count} tickets
        </span>
        <SavedViews filters={f} apply={setF} />
      </div>
      <div className="scroller" ref={scroller} data-testid="list">
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((item) => {
            const r = rows[item.index];
            return (
              <div
                key={item.key}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  height: ROW,
                  transform: `translateY(${item.start}px)`,
                }}
              >
                {r.kind === 'group' ? (
                  <div className={`group ${r.category ? `cat-${r.category}` : ''}`}>
                    {r.name} <span className="muted">{r.count}</span>
                  </div>
                ) : (
                  <TicketRow
                    t={r.ticket}
                    selected={r.ticket.id === selectedId}
                    snippet={f.text && !matchesText(r.ticket, f.text) ? hits.get(r.ticket.id) : undefined}
                  />
                )}
              </div>
            );
          })}
        </div>
        {!count && (
          <div className="muted pad">
            No tickets match. Press <kbd>c</kbd> to create one.
          </div>
        )}
      </div>
    </div>
  );
}
