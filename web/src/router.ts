import { useSyncExternalStore } from 'react';

// Paths, not hashes: `tack serve` answers index.html for any path outside /api.
const listeners = new Set<() => void>();
const notify = (): void => {
  for (const l of listeners) l();
};
window.addEventListener('popstate', notify);
const subscribe = (l: () => void) => (listeners.add(l), () => listeners.delete(l));

/** Go to `path` (it may carry a query); `replace` rewrites the current entry instead (a filter being typed). */
export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  if (path === location.pathname + location.search) return;
  if (opts.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  notify();
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}

/** The query string (`?a=b` or ''): views keep their filters there, so links and reloads keep them. */
export function useSearch(): string {
  return useSyncExternalStore(subscribe, () => location.search);
}

/** The list as the user last left it (its filters), for the ways back to it. */
let lastList = '/';
export const rememberList = (href: string): void => {
  lastList = href;
};
export const listHref = (): string => lastList;
