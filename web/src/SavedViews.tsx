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
  return (
    <span className="saved-views">
      <select
        aria-label="saved view"
        value=""
        onChange={(e) => {
          const v = views.find((x) => x.name === e.target.value);
          if (v) apply({ ...NO_FILTERS, ...(v.filters as Partial<Filters>) });
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
      {error && (
        <span className="error small" onClick={() => setError(null)}>
          {error}
        </span>
      )}
    </span>
  );
}
