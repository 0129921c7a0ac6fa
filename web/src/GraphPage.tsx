import { type RefObject, useEffect, useMemo, useRef, useState } from 'react';
import { get } from './api';
import { onTicketChange } from './store';
import { navigate } from './router';
import { commitLanes } from './commitLanes';

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
interface Commit {
  sha: string;
  parents: string[];
  time: string;
  author: string;
  subject: string;
  op: string | null;
  tickets: string[];
}
interface Placed<T = TreeNode> {
  n: T;
  x: number;
  y: number;
  parent: Placed<T> | null;
}

const W = 220;
const H = 34;
const GAP_X = 60;
const GAP_Y = 10;

/** Left to right: depth is x; leaves take the next row, a parent sits by its first child. */
export function layoutTree<T extends { children: T[] }>(
  roots: T[],
): { nodes: Array<Placed<T>>; width: number; height: number } {
  const nodes: Array<Placed<T>> = [];
  let row = 0;
  let depthMax = 0;
  const place = (n: T, depth: number, parent: Placed<T> | null): Placed<T> => {
    depthMax = Math.max(depthMax, depth);
    const p: Placed<T> = { n, x: depth * (W + GAP_X), y: 0, parent };
    nodes.push(p);
    if (!n.children.length) p.y = row++ * (H + GAP_Y);
    else {
      const kids = n.children.map((c) => place(c, depth + 1, p));
      p.y = (kids[0].y + kids[kids.length - 1].y) / 2;
    }
    return p;
  };
  for (const r of roots) place(r, 0, null);
  return { nodes, width: (depthMax + 1) * (W + GAP_X), height: Math.max(1, row) * (H + GAP_Y) };
}

/** One curve from a node's right side to another's left side, or round to its right side when it lies to the left. */
function crossEdge(a: Placed, b: Placed): string {
  const x1 = a.x + W;
  const y1 = a.y + H / 2;
  const y2 = b.y + H / 2;
  if (b.x >= x1) return `M${x1},${y1} C${x1 + GAP_X / 2},${y1} ${b.x - GAP_X / 2},${y2} ${b.x},${y2}`;
  const x2 = b.x + W;
  const out = Math.max(x1, x2) + GAP_X / 2;
  return `M${x1},${y1} C${out},${y1} ${out},${y2} ${x2},${y2}`;
}

/** The blocks edges between nodes the parent hierarchy placed: each from the blocker's first place. */
export function blockEdges(nodes: Placed[]): Array<{ from: Placed; to: Placed }> {
  const first = new Map<string, Placed>();
  for (const p of nodes) if (!first.has(p.n.id)) first.set(p.n.id, p);
  const out: Array<{ from: Placed; to: Placed }> = [];
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
  useEffect(() => onTicketChange(() => setRev((r) => r + 1)), []);
  useEffect(
    () => void get<{ roots: TreeNode[] }>(`/api/tree?kind=${kind}`).then((t) => setRoots(t.roots)),
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
              const x1 = a.x + W,
                y1 = a.y + H / 2,
                x2 = p.x,
                y2 = p.y + H / 2;
              return (
                <path
                  key={`${a.n.id}>${p.n.id}>${p.y}`}
                  className="edge"
                  d={`M${x1},${y1} C${x1 + GAP_X / 2},${y1} ${x2 - GAP_X / 2},${y2} ${x2},${y2}`}
                />
              );
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
        {!nodes.length && <div className="muted">No open tickets.</div>}
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

function CommitsView() {
  const [commits, setCommits] = useState<Commit[]>([]);
  const [rev, setRev] = useState(0);
  useEffect(() => onTicketChange(() => setRev((r) => r + 1)), []);
  useEffect(() => void get<{ commits: Commit[] }>('/api/log?limit=300').then((r) => setCommits(r.commits)), [rev]);
  const { lane, edges, width } = useMemo(() => commitLanes(commits), [commits]);
  const ROW = 30;
  const LANE = 14;
  const x = (l: number) => 12 + l * LANE;
  const y = (row: number) => row * ROW + ROW / 2;
  const text = x(width) + 8;
  return (
    <div className="graph" data-testid="commits">
      <svg width={text + 800} height={commits.length * ROW + 10}>
        <title>Commits</title>
        {edges.map((e, i) => {
          // Down the lane the edge runs in, bending at its ends into the child's and the parent's lanes.
          const pts = [[x(e.from.lane), y(e.from.row)]];
          if (e.to.row - e.from.row > 1) {
            if (e.via !== e.from.lane) pts.push([x(e.via), y(e.from.row + 1)]);
            if (e.via !== e.to.lane) pts.push([x(e.via), y(e.to.row - 1)]);
          }
          pts.push([x(e.to.lane), y(e.to.row)]);
          return (
            <polyline key={i} className="edge commit-edge" fill="none" points={pts.map((p) => p.join(',')).join(' ')} />
          );
        })}
        {commits.map((c, i) => (
          <g
            key={c.sha}
            className={`node commit${c.parents.length > 1 ? ' merge' : ''}`}
            data-sha={c.sha}
            data-parents={c.parents.length}
            transform={`translate(0,${i * ROW})`}
          >
            <circle cx={x(lane[i])} cy={ROW / 2} r={c.parents.length > 1 ? 6 : 5} fill="var(--accent)" />
            <text x={text} y={ROW / 2 + 4} className="sid">
              {c.sha.slice(0, 8)}
            </text>
            <text x={text + 72} y={ROW / 2 + 4}>
              {c.subject.length > 70 ? `${c.subject.slice(0, 69)}…` : c.subject}
            </text>
            <text x={text + 612} y={ROW / 2 + 4} className="sid">
              {c.author} · {c.time.slice(0, 16).replace('T', ' ')}
            </text>
            {c.tickets[0] && (
              <rect
                x={text + 68}
                y={2}
                width={530}
                height={ROW - 4}
                className="hit"
                onClick={() => navigate(`/t/${c.tickets[0]}`)}
              />
            )}
          </g>
        ))}
      </svg>
    </div>
  );
}

interface FileNode {
  name: string;
  path: string;
  children: FileNode[];
  more: number;
}
const MAX_CHILDREN = 40;

/** Paths into folders; a folder shows its first MAX_CHILDREN entries and how many more. */
export function fileTree(paths: string[]): FileNode[] {
  const root: FileNode = { name: '', path: '', children: [], more: 0 };
  for (const p of paths) {
    let at = root;
    p.split('/').forEach((seg, i, all) => {
      let next = at.children.find((c) => c.name === seg);
      if (!next) at.children.push((next = { name: seg, path: all.slice(0, i + 1).join('/'), children: [], more: 0 }));
      at = next;
    });
  }
  const cap = (n: FileNode) => {
    if (n.children.length > MAX_CHILDREN) {
      n.more = n.children.length - MAX_CHILDREN;
      n.children = n.children.slice(0, MAX_CHILDREN);
    }
    n.children.forEach(cap);
  };
  cap(root);
  return root.children;
}

function FilesView() {
  const [paths, setPaths] = useState<string[]>([]);
  useEffect(
    () =>
      void get<Array<{ path: string }>>(
        `/api/sql?query=${encodeURIComponent('SELECT path FROM tree_files ORDER BY path')}`,
      ).then((r) => setPaths(r.map((x) => x.path))),
    [],
  );
  const { nodes, width, height } = useMemo(() => layoutTree(fileTree(paths)), [paths]);
  const open = (p: string) => {
    const t = /^(?:tickets|archive)\/([^/]+)\.md$/.exec(p);
    if (t) navigate(`/t/${t[1]}`);
    else if (/^docs\/.+\.md$/.test(p)) navigate(`/docs/${p}`);
  };
  return (
    <div className="graph" data-testid="files">
      <svg width={width} height={height + 4}>
        <title>Files</title>
        {nodes
          .filter((p) => p.parent)
          .map((p) => {
            const a = p.parent!;
            const x1 = a.x + W,
              y1 = a.y + H / 2,
              x2 = p.x,
              y2 = p.y + H / 2;
            return (
              <path
                key={`e:${p.n.path}`}
                className="edge"
                d={`M${x1},${y1} C${x1 + GAP_X / 2},${y1} ${x2 - GAP_X / 2},${y2} ${x2},${y2}`}
              />
            );
          })}
        {nodes.map((p) => (
          <g
            key={p.n.path}
            className="node"
            data-path={p.n.path}
            transform={`translate(${p.x},${p.y + 2})`}
            onClick={() => open(p.n.path)}
            style={{ cursor: 'pointer' }}
          >
            <rect width={W} height={H} />
            <text x={8} y={14} className="sid">
              {p.n.children.length || p.n.more ? `folder · ${p.n.children.length + p.n.more}` : 'file'}
              {p.n.more ? ` (${p.n.more} not shown)` : ''}
            </text>
            <text x={8} y={28}>
              {p.n.name}
              {p.n.children.length ? '/' : ''}
            </text>
          </g>
        ))}
      </svg>
    </div>
  );
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
