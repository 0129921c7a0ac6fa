import { type ReactElement, useEffect, useState } from 'react';
import { connectEvents, reloadAll, useStore } from './store';
import { navigate, usePath } from './router';
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
  const { loaded, live } = useStore();
  const [overlay, setOverlay] = useState<Overlay>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    reloadAll().catch((e) => setError(String(e.message ?? e)));
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
  if (path.startsWith('/t/')) page = <TicketPage id={decodeURIComponent(path.slice(3))} />;
  else if (path === '/board') page = <Board />;
  else if (path === '/capture') page = <Capture />;
  else if (path === '/work') page = <WorkPage />;
  else if (path === '/graph') page = <GraphPage />;
  else if (path.startsWith('/tags/')) page = <TagPage tag={decodeURIComponent(path.slice(6))} />;
  else if (path.startsWith('/docs')) page = <DocsPage path={decodeURIComponent(path.slice(6))} />;
  else page = <ListView paused={overlay !== null} />;

  return (
    <div className="app">
      <nav className="side">
        <div className="brand">Tack</div>
        {NAV.map(([to, name]) => (
          <a
            key={to}
            href={to}
            className={(to === '/' ? path === '/' : path.startsWith(to)) ? 'active' : ''}
            onClick={(e) => (e.preventDefault(), navigate(to))}
          >
            {name}
          </a>
        ))}
        <div className="grow" />
        <button className="ghost" onClick={() => setOverlay('palette')}>
          ⌘K Commands
        </button>
        <button className="ghost" onClick={() => setOverlay('help')}>
          ? Shortcuts
        </button>
        <div className={`live ${live ? 'on' : ''}`} data-testid="live">
          {live ? '● live' : '○ offline'}
        </div>
      </nav>
      <main>
        {error ? (
          <div className="error">Cannot reach the server: {error}</div>
        ) : loaded ? (
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
