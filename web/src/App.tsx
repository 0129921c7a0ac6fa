import { type ReactElement, Suspense, useEffect, useState } from 'react';
import { connectEvents, loadFirst, useStore } from './store';
import { ticketPath } from './api';
import { listHref, navigate, usePath } from './router';
import { useKeys } from './keys';
import { filtersFromQuery, queryOf } from './ticketOrder';
import { ListView } from './ListView';
import { TicketPage } from './TicketPage';
import { Skeleton } from './Skeleton';
import { Board, Capture, DocsPage, GraphPage, type LazyPage, preloadPages, TagPage, WorkPage } from './lazyPages';
import { Palette } from './Palette';
import { SidebarViews } from './SidebarViews';
import { Toasts } from './Toasts';
import { loadMarkdown } from './Markdown';
import { CreateDialog } from './CreateDialog';
import { Shortcuts } from './Shortcuts';

export type Overlay = null | 'palette' | 'create' | 'help';

/** A path segment decoded; a malformed one (`/t/%E0`) as it is, so the page says "not found". */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const NAV: Array<[string, string]> = [
  ['/', 'Issues'],
  ['/work', 'My work'],
  ['/board', 'Board'],
  ['/capture', 'Capture'],
  ['/docs', 'Docs'],
  ['/graph', 'Graphs'],
];

interface Page {
  element: ReactElement;
  /** Its code, when not in the first script (the list and a ticket are). */
  chunk?: LazyPage<unknown>;
  /** Shows before every ticket's summary has arrived: it reads what it needs itself. */
  standalone?: boolean;
  /** Shows the server's first screen of rows (store.ts, FIRST_SCREEN) until the summaries are in. */
  firstScreen?: boolean;
}

/** What a path shows. */
function pageOf(path: string, paused: boolean): Page {
  if (path.startsWith('/t/')) return { element: <TicketPage id={decoded(path.slice(3))} />, standalone: true };
  if (path === '/board') return { element: <Board />, chunk: Board };
  if (path === '/capture') return { element: <Capture />, chunk: Capture };
  if (path === '/work') return { element: <WorkPage />, chunk: WorkPage };
  if (path === '/graph') return { element: <GraphPage />, chunk: GraphPage, standalone: true };
  if (path.startsWith('/tags/')) return { element: <TagPage tag={decoded(path.slice(6))} />, chunk: TagPage };
  if (path.startsWith('/docs'))
    return { element: <DocsPage path={decoded(path.slice(6))} />, chunk: DocsPage, standalone: true };
  return { element: <ListView paused={paused} />, firstScreen: true };
}

/**
 * The first page's data and code, asked for before the first render (main.tsx): the answers
 * index.html asked for are read while React starts, not after its first frame.
 */
export function startFirstLoad(): Promise<void> {
  const first = pageOf(location.pathname, false);
  // The page's code comes in parallel with its data, not after it; the list shows no Markdown.
  first.chunk?.preload();
  if (!first.firstScreen) void loadMarkdown().catch(() => undefined);
  const ticket = location.pathname.startsWith('/t/') ? ticketPath(decoded(location.pathname.slice(3))) : null;
  // Its first screen is the unfiltered list's (a filtered one waits for every summary).
  const firstScreen = first.firstScreen === true && queryOf(filtersFromQuery(location.search)) === '';
  return loadFirst(ticket, first.standalone === true, firstScreen);
}

export function App({ firstLoad }: { firstLoad: Promise<void> }) {
  const path = usePath();
  const { loaded, live, schema, first } = useStore();
  const [overlay, setOverlay] = useState<Overlay>(null);
  // Phones: the navigation is a drawer behind the menu button, closed once a page is chosen.
  const [navOpen, setNavOpen] = useState(false);
  useEffect(() => setNavOpen(false), [path]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    firstLoad.catch((e) => setError(String(e.message ?? e)));
    return connectEvents();
  }, []);

  useKeys(
    {
      'mod+k': () => setOverlay((o) => (o === 'palette' ? null : 'palette')),
      c: () => setOverlay('create'),
      '?': () => setOverlay('help'),
      Escape: () => setOverlay(null),
    },
    ['mod+k'],
  );

  // The page's name as its one h1, for screen readers (a ticket page's h1 is its visible title).
  const heading = path.startsWith('/tags/')
    ? `Tag ${decoded(path.slice(6))}`
    : NAV.find(([to]) => (to === '/' ? path === '/' : path.startsWith(to)))?.[1];
  const page = pageOf(path, overlay !== null);

  // A ticket, the graphs and the docs need only the schema and their own data: they show
  // before the summaries.
  const ready = loaded || (schema !== null && (page.standalone || (page.firstScreen && first !== null)));
  // The other pages' code comes once everything the first one needs is in.
  useEffect(() => {
    // Once the first page has painted and the browser is idle: compiling them (~25 ms at
    // first) is not in the way of that paint.
    if (loaded)
      setTimeout(
        () => (window.requestIdleCallback ?? setTimeout)(() => (preloadPages(), loadMarkdown().catch(() => undefined))),
        300,
      );
  }, [loaded]);

  return (
    <div className={`app ${navOpen ? 'nav-open' : ''}`}>
      <header className="topbar">
        <button
          type="button"
          className="ghost menu"
          aria-label="menu"
          aria-expanded={navOpen}
          aria-controls="main-nav"
          onClick={() => setNavOpen((o) => !o)}
        >
          ☰
        </button>
        <span className="brand">Tack</span>
      </header>
      {navOpen && <div className="scrim" onClick={() => setNavOpen(false)} />}
      <nav className="side" id="main-nav" aria-label="main">
        <div className="brand">Tack</div>
        {NAV.map(([to, name]) => (
          <a
            key={to}
            href={to === '/' ? listHref() : to}
            className={(to === '/' ? path === '/' : path.startsWith(to)) ? 'active' : ''}
            aria-current={(to === '/' ? path === '/' : path.startsWith(to)) ? 'page' : undefined}
            onClick={(e) => (e.preventDefault(), navigate(to === '/' ? listHref() : to), setNavOpen(false))}
          >
            {name}
          </a>
        ))}
        <SidebarViews onPick={() => setNavOpen(false)} />
        <div className="grow" />
        <button type="button" className="ghost" onClick={() => setOverlay('palette')}>
          ⌘K Commands
        </button>
        <button type="button" className="ghost" onClick={() => setOverlay('help')}>
          ? Shortcuts
        </button>
        <div className={`live ${live ? 'on' : ''}`} data-testid="live">
          {live ? '● live' : '○ offline'}
        </div>
      </nav>
      <main>
        {heading && <h1 className="sr-only">{heading}</h1>}
        {error ? (
          <div className="error">Cannot reach the server: {error}</div>
        ) : ready ? (
          <Suspense fallback={<Skeleton />}>{page.element}</Suspense>
        ) : (
          <Skeleton />
        )}
      </main>
      {overlay === 'palette' && <Palette close={() => setOverlay(null)} open={setOverlay} />}
      {overlay === 'create' && <CreateDialog close={() => setOverlay(null)} />}
      {overlay === 'help' && <Shortcuts close={() => setOverlay(null)} />}
      <Toasts />
    </div>
  );
}
