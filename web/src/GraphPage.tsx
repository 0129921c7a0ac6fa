import { type RefObject, useEffect, useMemo, useRef, useState } from 'react';
import { EmptyWithNewTicket } from './EmptyState';
import { get } from './api';
import { markShown, onTicketChange } from './store';
import { navigate } from './router';
import { CommitsView } from './CommitsView';
import { FilesView } from './FilesView';
import { GAP_X, H, layoutTree, parentEdge, type Placed, W } from './treeLayout';

interface TreeNode {
  id: string;
  short_id: string;
  title: string;
  status: string;
  category: string;
  blocked: boolean;
  repeated: boolean;
  /** Tickets this one blocks (in the combined view, drawn as dashed edges across the hierarchy). */
  blocks?: string[];
  children: TreeNode[];
}
/** One curve from a node's right side to another's left side, or round to its right side when it lies to the left. */
function crossEdge(a: Placed<TreeNode>, b: Placed<TreeNode>): string {
  const x1 = a.x + W;
  const y1 = a.y + H / 2;
  const y2 = b.y + H / 2;
  if (b.x >= x1) return parentEdge(a, b);
  const x2 = b.x + W;
  const out = Math.max(x1, x2) + GAP_X / 2;
  return `M${x1},${y1} C${out},${y1} ${out},${y2} ${x2},${y2}`;
}

/** The blocks edges between nodes the parent hierarchy placed: each from the blocker's first place. */
export function blockEdges(nodes: Array<Placed<TreeNode>>): Array<{ from: Placed<TreeNode>; to: Placed<TreeNode> }> {
  const first = new Map<string, Placed<TreeNode>>();
  for (const p of nodes) if (!first.has(p.n.id)) first.set(p.n.id, p);
  const out: Array<{ from: Placed<TreeNode>; to: Placed<TreeNode> }> = [];
  for (const [id, from] of first)
    for (const dst of from.n.blocks ?? []) {
      const to = first.get(dst);
      if (to && dst !== id) out.push({ from, to });
    }
  return out;
}

function TreeView() {
  const [kind, setKind] = useState<'parent' | 'blocks' | 'both'>('both');
  const [roots, setRoots] = useState<TreeNode[]>([]);
  const [rev, setRev] = useState(0);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => onTicketChange(() => setRev((r) => r + 1)), []);
  useEffect(
    () =>
      // The whole forest (limit=0): drawn as it scrolls into view, found by the search below.
      void get<{ roots: TreeNode[] }>(`/api/tree?kind=${kind}&limit=0`)
        .then((t) => (setRoots(t.roots), setError(null)))
        .catch((e: Error) => setError(e.message))
        .finally(markShown),
    [kind, rev],
  );
  const { nodes, width, height } = useMemo(() => layoutTree(roots), [roots]);
  const blocking = useMemo(() => (kind === 'both' ? blockEdges(nodes) : []), [nodes, kind]);
  const box = useRef<HTMLDivElement>(null);
  const [top, bottom] = useVisibleRows(box);
  // Only what is on screen (and a screen either side) is drawn: at 10,000 tickets the whole
  // forest is 70,000 SVG elements; scrolling and the search below reach the rest.
  const inView = (y1: number, y2: number) => Math.max(y1, y2) + H >= top && Math.min(y1, y2) <= bottom;
  const shown = nodes.filter((p) => inView(p.y, p.y));
  const [q, setQ] = useState('');
  const [hit, setHit] = useState(-1); // the match last gone to
  const matches = useMemo(() => {
    const s = q.trim().toLowerCase();
    return s
      ? nodes.filter((p) => p.n.title.toLowerCase().includes(s) || p.n.short_id.toLowerCase().startsWith(s))
      : [];
  }, [nodes, q]);
  const goTo = (n: number) => {
    const p = matches[n];
    const page = box.current?.closest('.graph-page');
    if (!p || !page || !box.current) return;
    setHit(n);
    const svgTop = box.current.getBoundingClientRect().top - page.getBoundingClientRect().top + page.scrollTop;
    page.scrollTo({ top: svgTop + p.y - page.clientHeight / 3, left: Math.max(0, p.x - 40) });
  };
  const current = matches[hit]?.n.id;
  const trim = (s: string) => (s.length > 28 ? `${s.slice(0, 27)}…` : s);
  return (
    <div>
      {error && <div className="error pad">Cannot read the graph: {error}</div>}
      <div className="tabs">
        {(['both', 'parent', 'blocks'] as const).map((k) => (
          <button type="button" key={k} className={`ghost ${kind === k ? 'on' : ''}`} onClick={() => setKind(k)}>
            {k === 'both' ? 'parents and blockers' : k === 'parent' ? 'parents' : 'blockers'}
          </button>
        ))}
      </div>
      {kind === 'both' && (
        <div className="muted small legend">
          <svg width="28" height="8" aria-hidden="true">
            <path className="edge" d="M0,4 H28" />
          </svg>{' '}
          parent{' '}
          <svg width="28" height="8" aria-hidden="true">
            <path className="edge blocks" d="M0,4 H28" />
          </svg>{' '}
          blocks
        </div>
      )}
      <div className="graph-find">
        <input
          type="search"
          aria-label="find in graph"
          placeholder="Find in graph…"
          value={q}
          onChange={(e) => (setQ(e.target.value), setHit(-1))}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && matches.length) {
              e.preventDefault();
              goTo(e.shiftKey ? (hit <= 0 ? matches.length - 1 : hit - 1) : (hit + 1) % matches.length);
            }
          }}
        />{' '}
        <span className="muted small" aria-live="polite">
          {q.trim()
            ? matches.length
              ? hit >= 0
                ? `${hit + 1} of ${matches.length} (Enter: next)`
                : `${matches.length} found (Enter: go to the first)`
              : 'no match'
            : `${nodes.length.toLocaleString('en')} boxes; scroll or find to reach any`}
        </span>
      </div>
      <div className="graph" data-testid="tree" ref={box}>
        <svg width={width + GAP_X} height={height + 4}>
          <title>Parent tree</title>
          <defs>
            <marker
              id="blocks-arrow"
              viewBox="0 0 8 8"
              refX="7"
              refY="4"
              markerWidth="6"
              markerHeight="6"
              orient="auto"
            >
              <path d="M0,0 L8,4 L0,8 z" className="arrow-blocks" />
            </marker>
          </defs>
          {nodes
            .filter((p) => p.parent && inView(p.parent.y, p.y))
            .map((p) => {
              const a = p.parent!;
              return <path key={`${a.n.id}>${p.n.id}>${p.y}`} className="edge" d={parentEdge(a, p)} />;
            })}
          {blocking
            .filter(({ from, to }) => inView(from.y, to.y))
            .map(({ from, to }) => (
              <path
                key={`${from.n.id}~${to.n.id}`}
                className="edge blocks"
                data-from={from.n.id}
                data-to={to.n.id}
                markerEnd="url(#blocks-arrow)"
                d={crossEdge(from, to)}
              >
                <title>
                  {from.n.short_id} blocks {to.n.short_id}
                </title>
              </path>
            ))}
          {shown.map((p) => (
            <g
              key={`${p.n.id}@${p.y}@${p.x}`}
              className={`node cat-${p.n.category} ${p.n.blocked ? 'blocked' : ''} ${p.n.id === current ? 'match' : ''}`}
              data-id={p.n.id}
              transform={`translate(${p.x},${p.y + 2})`}
              onClick={() => navigate(`/t/${p.n.id}`)}
              style={{ cursor: 'pointer' }}
            >
              <rect width={W} height={H} />
              <text x={8} y={14} className="sid">
                {p.n.short_id} · {p.n.status}
                {p.n.repeated ? ' ↑' : ''}
              </text>
              <text x={8} y={28}>
                {trim(p.n.title)}
              </text>
              <title>{p.n.title}</title>
            </g>
          ))}
        </svg>
        {!nodes.length && <EmptyWithNewTicket label="New ticket">No open tickets.</EmptyWithNewTicket>}
      </div>
    </div>
  );
}

/** The band of the box's own coordinates that is on screen, a screen either side, kept current as its page scrolls. */
function useVisibleRows(box: RefObject<HTMLDivElement | null>): [number, number] {
  const [band, setBand] = useState<[number, number]>([0, 2000]);
  useEffect(() => {
    const page = box.current?.closest('.graph-page');
    if (!page || !box.current) return;
    let frame = 0;
    const measure = () => {
      frame = 0;
      const at = box.current?.getBoundingClientRect().top ?? 0;
      const off = page.getBoundingClientRect().top - at; // how far the box's top is above the page's
      const h = page.clientHeight;
      setBand([Math.floor(off - h), Math.ceil(off + 2 * h)]);
    };
    const onScroll = () => {
      frame ||= requestAnimationFrame(measure);
    };
    measure();
    page.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('resize', onScroll);
    return () => {
      page.removeEventListener('scroll', onScroll);
      window.removeEventListener('resize', onScroll);
      cancelAnimationFrame(frame);
    };
  }, [box]);
  return band;
}

/** Tree views: the dependency and parent graph and the store's files (left to right), its commits (top down). */
export function GraphPage() {
  const [tab, setTab] = useState<'tree' | 'commits' | 'files'>('tree');
  return (
    <div className="graph-page">
      <div className="tabs">
        <button type="button" className={`ghost ${tab === 'tree' ? 'on' : ''}`} onClick={() => setTab('tree')}>
          Dependencies
        </button>
        <button type="button" className={`ghost ${tab === 'commits' ? 'on' : ''}`} onClick={() => setTab('commits')}>
          Commits
        </button>
        <button type="button" className={`ghost ${tab === 'files' ? 'on' : ''}`} onClick={() => setTab('files')}>
          Files
        </button>
      </div>
      {tab === 'tree' ? <TreeView /> : tab === 'commits' ? <CommitsView /> : <FilesView />}
    </div>
  );
}
