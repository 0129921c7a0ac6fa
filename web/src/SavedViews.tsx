import { useState } from 'react';
import { api } from './api';
import { activeView, reloadViews, useSavedViews, viewFilters } from './savedViewsStore';
import { NO_FILTERS, type Filters } from './ticketOrder';

/**
 * The filter bar's saved views: a menu to apply one, Save view, and Rename and Delete for
 * the view the list shows (the sidebar lists them too).
 */
export function SavedViews({ filters, apply }: { filters: Filters; apply: (f: Filters) => void }) {
  const { views, error: loadError } = useSavedViews();
  const [error, setError] = useState<string | null>(null);
  const load = reloadViews;
  const save = async () => {
    const name = prompt('Save this view as (letters, digits, - and _):');
    if (!name) return;
    const filter = Object.entries(filters)
      .filter(([k, v]) => v !== NO_FILTERS[k as keyof Filters])
      .map(([k, v]) => `${k}=${v}`);
    try {
      await api('POST', '/api/view-save', { name, filter });
      load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const act = async (run: () => Promise<unknown>) => {
    try {
      await run();
      setError(null);
      load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const rename = (from: string) => {
    const to = prompt(`Rename the view "${from}" to (letters, digits, - and _):`, from);
    if (to && to !== from) void act(() => api('POST', '/api/view-rename', { from, to }));
  };
  const remove = (name: string) => {
    if (confirm(`Delete the saved view "${name}"? (It stays in the store's history.)`))
      void act(() => api('POST', '/api/view-delete', { name }));
  };
  // The view the list shows: its filters are this view's.
  const known = activeView(views, filters)?.name ?? null;
  const shownError = error ?? loadError;
  return (
    <span className="saved-views">
      <select
        aria-label="saved view"
        value={known ?? ''}
        onChange={(e) => {
          const v = views.find((x) => x.name === e.target.value);
          apply(v ? viewFilters(v) : NO_FILTERS);
        }}
      >
        <option value="">{known ? 'no view' : 'views…'}</option>
        {views.map((v) => (
          <option key={v.name} value={v.name}>
            {v.name}
          </option>
        ))}
      </select>
      <button type="button" className="ghost" onClick={save} title="save these filters as a view in the store">
        Save view
      </button>
      {known && (
        <>
          <button type="button" className="ghost" onClick={() => rename(known)} aria-label={`rename view ${known}`}>
            Rename
          </button>
          <button type="button" className="ghost" onClick={() => remove(known)} aria-label={`delete view ${known}`}>
            Delete
          </button>
        </>
      )}
      {shownError && (
        <span className="error small" onClick={() => setError(null)}>
          {shownError}
        </span>
      )}
    </span>
  );
}
