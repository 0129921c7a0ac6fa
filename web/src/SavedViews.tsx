import { useEffect, useState } from 'react';
import { api, get } from './api';
import { onTicketChange } from './store';
import { NO_FILTERS, type Filters } from './ticketOrder';

interface SavedView {
  name: string;
  filters: Record<string, string>;
}

/** Views are files in the store (views/<name>.yaml, `tack view`): versioned and shared. */
export function SavedViews({ filters, apply }: { filters: Filters; apply: (f: Filters) => void }) {
  const [views, setViews] = useState<SavedView[]>([]);
  const [error, setError] = useState<string | null>(null);
  // The view last picked: what Rename and Delete act on.
  const [current, setCurrent] = useState<string | null>(null);
  const load = () => void get<SavedView[]>('/api/view-list').then(setViews, (e) => setError(e.message));
  useEffect(() => (load(), onTicketChange((id) => id === null && load())), []);
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
    if (to && to !== from) void act(() => api('POST', '/api/view-rename', { from, to }).then(() => setCurrent(to)));
  };
  const remove = (name: string) => {
    if (confirm(`Delete the saved view "${name}"? (It stays in the store's history.)`))
      void act(() => api('POST', '/api/view-delete', { name }).then(() => setCurrent(null)));
  };
  const known = current !== null && views.some((v) => v.name === current) ? current : null;
  return (
    <span className="saved-views">
      <select
        aria-label="saved view"
        value=""
        onChange={(e) => {
          const v = views.find((x) => x.name === e.target.value);
          if (v) apply({ ...NO_FILTERS, ...(v.filters as Partial<Filters>) });
          if (v) setCurrent(v.name);
        }}
      >
        <option value="">views…</option>
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
      {error && (
        <span className="error small" onClick={() => setError(null)}>
          {error}
        </span>
      )}
    </span>
  );
}
