import { useEffect, useSyncExternalStore } from 'react';
import { get } from './api';
import { onTicketChange } from './store';
import { type Filters, NO_FILTERS, queryOf } from './ticketOrder';

/** A saved view: a file in the store (views/<name>.yaml, `tack view`), versioned and shared. */
export interface SavedView {
  name: string;
  filters: Record<string, string>;
}

// One copy for the sidebar and the filter bar, read again when the store changes under us.
let snapshot: { views: SavedView[]; error: string | null } = { views: [], error: null };
const listeners = new Set<() => void>();
let watching = false;

export function reloadViews(): void {
  get<SavedView[]>('/api/view-list').then(
    (views) => set({ views, error: null }),
    (e) => set({ ...snapshot, error: (e as Error).message }),
  );
}

function set(next: typeof snapshot): void {
  snapshot = next;
  for (const l of listeners) l();
}

export function useSavedViews(): typeof snapshot {
  useEffect(() => {
    if (watching) return;
    watching = true;
    reloadViews();
    onTicketChange((id) => id === null && reloadViews());
  }, []);
  return useSyncExternalStore(
    (l) => (listeners.add(l), () => listeners.delete(l)),
    () => snapshot,
  );
}

/** The filters a view applies (what it leaves out stays at the defaults). */
export const viewFilters = (v: SavedView): Filters => ({ ...NO_FILTERS, ...(v.filters as Partial<Filters>) });

/** The list's address for a view. */
export const viewHref = (v: SavedView): string => `/${queryOf(viewFilters(v))}`;

/** The view these filters are, if any: the one shown as active. */
export function activeView(views: readonly SavedView[], f: Filters): SavedView | undefined {
  const q = queryOf(f);
  return views.find((v) => queryOf(viewFilters(v)) === q);
}
