import { type ComponentType, createElement, lazy } from 'react';

// Pages other than the list and a ticket load when first opened, so a direct ticket link (or
// the list) downloads and compiles only what it shows. Each is one chunk. The palette and the
// dialogs stay in the first script: a shortcut's keys must reach them at once.
const preloads: Array<() => void> = [];

/** A page loaded on first use; `preload()` fetches its code ahead of that. */
export type LazyPage<C> = C & { preload: () => void };

/**
 * Rendered at once when its code is already in (preloaded), else through React.lazy. Not
 * React.lazy alone: a lazy component suspends on its first render even when its module has
 * arrived, and React then holds the fallback for ~300 ms before showing the page.
 */
// biome-ignore lint/suspicious/noExplicitAny: React.lazy's own constraint on a component's props
function page<M, K extends keyof M>(load: () => Promise<M>, name: K): LazyPage<M[K] & ComponentType<any>> {
  // biome-ignore lint/suspicious/noExplicitAny: as above
  let component: ComponentType<any> | null = null;
  const fetch = () =>
    load().then((m) => {
      // biome-ignore lint/suspicious/noExplicitAny: as above
      component = m[name] as ComponentType<any>;
      return { default: component };
    });
  const Lazy = lazy(fetch);
  const preload = () => void fetch().catch(() => undefined);
  preloads.push(preload);
  const Page = (props: object) => createElement(component ?? Lazy, props);
  return Object.assign(Page, { preload }) as never;
}

export const Board = page(() => import('./Board'), 'Board');
export const Capture = page(() => import('./Capture'), 'Capture');
export const WorkPage = page(() => import('./WorkPage'), 'WorkPage');
export const GraphPage = page(() => import('./GraphPage'), 'GraphPage');
export const TagPage = page(() => import('./TagPage'), 'TagPage');
export const DocsPage = page(() => import('./DocsPage'), 'DocsPage');

/** Fetch every chunk once the first page has shown, so that a page opened from the sidebar does not wait on the network. */
export function preloadPages(): void {
  for (const preload of preloads) preload();
}
