import { useMemo, useState } from 'react';
import type { Ticket } from './api';
import { useStore } from './store';
import { navigate, useSearch } from './router';
import { filtersFromQuery, GROUPINGS, queryOf, valuesOf, type Filters } from './ticketOrder';
import { SavedViews } from './SavedViews';

/**
 * A view's filters, kept in the URL's query string: a reload, a shared link and back/forward
 * all keep them. Typing replaces the history entry (one per search, not one per key); a
 * menu pick adds one.
 */
export function useUrlFilters(path: string): [Filters, (next: Filters, replace?: boolean) => void] {
  const search = useSearch();
  const f = useMemo(() => filtersFromQuery(search), [search]);
  return [f, (next, replace = false) => navigate(`${path}${queryOf(next)}`, { replace })];
}

const opts = (vals: string[], none: string) => [
  <option key="" value="">
    {none}
  </option>,
  ...vals.map((x) => (
    <option key={x} value={x}>
      {x}
    </option>
  )),
];

/**
 * The search box and the filter menus of the list and the board. `board`: no state filter
 * (the columns are the states), no sort or grouping, no saved views.
 */
export function FilterBar({
  f,
  setF,
  all,
  count,
  board = false,
}: {
  f: Filters;
  setF: (next: Filters, replace?: boolean) => void;
  all: Ticket[];
  count: number;
  board?: boolean;
}) {
  const { schema } = useStore();
  // Phones show the filter menus on demand; the number of those in use stays on the button.
  const [open, setOpen] = useState(false);
  const active = (['state', 'type', 'label', 'assignee', 'priority', 'project'] as const).filter((k) => f[k]).length;
  // The menus' values: computed once per change of the tickets, not per render.
  const menus = useMemo(
    () => ({
      labels: valuesOf(all, (t) => t.labels),
      people: ['none', ...valuesOf(all, (t) => [t.assignee])],
      projects: valuesOf(all, (t) => [t.project]),
    }),
    [all],
  );
  const set =
    <K extends keyof Filters>(k: K) =>
    (e: { target: { value: string } }) =>
      setF({ ...f, [k]: e.target.value }, k === 'text');

  return (
    <div className={`filters ${open ? 'open' : ''}`}>
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
        type="button"
        className="ghost filters-toggle"
        aria-expanded={open}
        aria-controls="filter-menus"
        onClick={() => setOpen((o) => !o)}
      >
        Filters{active ? ` (${active})` : ''}
      </button>
      <div className="filter-menus" id="filter-menus">
        {!board && (
          <select aria-label="state" value={f.state} onChange={set('state')}>
            <option value="">open</option>
            <option value="*">everything</option>
            {schema?.states.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
        )}
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
        {!board && (
          <>
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
            {f.group !== 'none' && (
              <select aria-label="sub-groups" value={f.sub} onChange={set('sub')}>
                {GROUPINGS.filter((g) => g !== f.group).map((g) => (
                  <option key={g} value={g}>
                    {g === 'none' ? 'no sub-groups' : `then: ${g}`}
                  </option>
                ))}
              </select>
            )}
          </>
        )}
      </div>
      <span className="muted count" data-testid="count">
        {count} tickets
      </span>
      {!board && <SavedViews filters={f} apply={setF} />}
    </div>
  );
}
