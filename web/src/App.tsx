import { type ReactElement, useEffect, useState } from 'react';
import { connectEvents, loadFirst, useStore } from './store';
import { listHref, navigate, usePath } from './router';
import { useKeys } from './keys';
import { ListView } from './ListView';
import { TicketPage } from './TicketPage';
import { Board } from './Board';
import { Capture } from './Capture';
import { Palette } from './Palette';
import { CreateDialog } from './CreateDialog';
import { Shortcuts } from './Shortcuts';
import { TagPage } from './TagPage';
import { DocsPage } from './DocsPage';
import { WorkPage } from './WorkPage';
import { GraphPage } from './GraphPage';

export type Overlay = null | 'palette' | 'create' | 'help';

const NAV: Array<[string, string]> = [
  ['/', 'Issues'],
  ['/work', 'My work'],
  ['/board', 'Board'],
  ['/capture', 'Capture'],
  ['/docs', 'Docs'],
  ['/graph', 'Graphs'],
];

export function App() {
  const path = usePath();
  const { loaded, live, schema } = useStore();
  const [overlay, setOverlay] = useState<Overlay>(null);
  // Phones: the navigation is a drawer behind the menu button, closed once a page is chosen.
  const [navOpen, setNavOpen] = useState(false);
  useEffect(() => setNavOpen(false), [path]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    loadFirst(location.pathname.startsWith('/t/')).catch((e) => setError(String(e.message ?? e)));
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

  let page: ReactElement;
  // The page's name as its one h1, for screen readers (a ticket page's h1 is its visible title).
  const heading = path.startsWith('/tags/')
    ? `Tag ${decodeURIComponent(path.slice(6))}`
    : NAV.find(([to]) => (to === '/' ? path === '/' : path.startsWith(to)))?.[1];
  if (path.startsWith('/t/')) page = <TicketPage id={decodeURIComponent(path.slice(3))} />;
  else if (path === '/board') page = <Board />;
  else if (path === '/capture') page = <Capture />;
  else if (path === '/work') page = <WorkPage />;
  else if (path === '/graph') page = <GraphPage />;
  else if (path.startsWith('/tags/')) page = <TagPage tag={decodeURIComponent(path.slice(6))} />;
  else if (path.startsWith('/docs')) page = <DocsPage path={decodeURIComponent(path.slice(6))} />;
  else page = <ListView paused={overlay !== null} />;

  // A ticket page needs only the schema and its own ticket: it shows before the summaries.
  const ready = loaded || (schema !== null && path.startsWith('/t/'));

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
          page
        ) : (
          <div className="muted pad">Loading…</div>
        )}
      </main>
      {overlay === 'palette' && <Palette close={() => setOverlay(null)} open={setOverlay} />}
      {overlay === 'create' && <CreateDialog close={() => setOverlay(null)} />}
      {overlay === 'help' && <Shortcuts close={() => setOverlay(null)} />}
    </div>
  );
}
