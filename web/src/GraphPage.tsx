import { useEffect, useMemo, useState } from 'react';
import { get } from './api';
import { onTicketChange } from './store';
import { navigate } from './router';

interface TreeNode { id: string; short_id: string; title: string; status: string; category: string; blocked: boolean; repeated: boolean; children: TreeNode[] }
interface Commit { sha: string; time: string; author: string; subject: string; op: string | null; tickets: string[] }
interface Placed { n: TreeNode; x: number; y: number; parent: Placed | null }

const W = 220;
const H = 34;
const GAP_X = 60;
const GAP_Y = 10;

/** Left to right: depth is x; leaves take the next row, a parent sits by its first child. */
export function layoutTree(roots: TreeNode[]): { nodes: Placed[]; width: number; height: number } {
  const nodes: Placed[] = [];
  let row = 0;
  let depthMax = 0;
  const place = (n: TreeNode, depth: number, parent: Placed | null): Placed => {
    depthMax = Math.max(depthMax, depth);
    const p: Placed = { n, x: depth * (W + GAP_X), y: 0, parent };
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

function TreeView() {
  const [kind, setKind] = useState<'parent' | 'blocks' | 'both'>('both');
  const [roots, setRoots] = useState<TreeNode[]>([]);
  const [rev, setRev] = useState(0);
  useEffect(() => onTicketChange(() => setRev((r) => r + 1)), []);
  useEffect(() => void get<{ roots: TreeNode[] }>(`/api/tree?kind=${kind}`).then((t) => setRoots(t.roots)), [kind, rev]);
  const { nodes, width, height } = useMemo(() => layoutTree(roots), [roots]);
  const trim = (s: string) => (s.length > 28 ? s.slice(0, 27) + '…' : s);
  return (
    <div>
      <div className="tabs">{(['both', 'parent', 'blocks'] as const).map((k) => <button key={k} className={`ghost ${kind === k ? 'on' : ''}`} onClick={() => setKind(k)}>{k === 'both' ? 'parents and blockers' : k === 'parent' ? 'parents' : 'blockers'}</button>)}</div>
      <div className="graph" data-testid="tree">
        <svg width={width} height={height + 4}>
          {nodes.filter((p) => p.parent).map((p) => {
            const a = p.parent!;
            const x1 = a.x + W, y1 = a.y + H / 2, x2 = p.x, y2 = p.y + H / 2;
            return <path key={`${a.n.id}>${p.n.id}>${p.y}`} className="edge" d={`M${x1},${y1} C${x1 + GAP_X / 2},${y1} ${x2 - GAP_X / 2},${y2} ${x2},${y2}`} />;
          })}
          {nodes.map((p) => (
            <g key={`${p.n.id}@${p.y}@${p.x}`} className={`node cat-${p.n.category} ${p.n.blocked ? 'blocked' : ''}`} data-id={p.n.id} transform={`translate(${p.x},${p.y + 2})`} onClick={() => navigate(`/t/${p.n.id}`)} style={{ cursor: 'pointer' }}>
              <rect width={W} height={H} />
              <text x={8} y={14} className="sid">{p.n.short_id} · {p.n.status}{p.n.repeated ? ' ↑' : ''}</text>
              <text x={8} y={28}>{trim(p.n.title)}</text>
              <title>{p.n.title}</title>
            </g>
          ))}
        </svg>
        {!nodes.length && <div className="muted">No open tickets.</div>}
      </div>
    </div>
  );
}

function CommitsView() {
  const [commits, setCommits] = useState<Commit[]>([]);
  const [rev, setRev] = useState(0);
  useEffect(() => onTicketChange(() => setRev((r) => r + 1)), []);
  useEffect(() => void get<{ commits: Commit[] }>('/api/log?limit=300').then((r) => setCommits(r.commits)), [rev]);
  const ROW = 30;
  return (
    <div className="graph" data-testid="commits">
      <svg width={900} height={commits.length * ROW + 10}>
        <line x1={12} y1={ROW / 2} x2={12} y2={Math.max(ROW / 2, (commits.length - 0.5) * ROW)} className="edge" />
        {commits.map((c, i) => (
          <g key={c.sha} className="node" transform={`translate(0,${i * ROW})`}>
            <circle cx={12} cy={ROW / 2} r={5} fill="var(--accent)" />
            <text x={28} y={ROW / 2 + 4} className="sid">{c.sha.slice(0, 8)}</text>
            <text x={100} y={ROW / 2 + 4}>{c.subject.length > 70 ? c.subject.slice(0, 69) + '…' : c.subject}</text>
            <text x={640} y={ROW / 2 + 4} className="sid">{c.author} · {c.time.slice(0, 16).replace('T', ' ')}</text>
            {c.tickets[0] && <rect x={96} y={2} width={530} height={ROW - 4} fill="transparent" style={{ cursor: 'pointer' }} onClick={() => navigate(`/t/${c.tickets[0]}`)} />}
          </g>
        ))}
      </svg>
    </div>
  );
}

/** Tree views: the dependency and parent graph (left to right) and the store's commits (top down). */
export function GraphPage() {
  const [tab, setTab] = useState<'tree' | 'commits'>('tree');
  return (
    <div className="graph-page">
      <div className="tabs">
        <button className={`ghost ${tab === 'tree' ? 'on' : ''}`} onClick={() => setTab('tree')}>Dependencies</button>
        <button className={`ghost ${tab === 'commits' ? 'on' : ''}`} onClick={() => setTab('commits')}>Commits</button>
      </div>
      {tab === 'tree' ? <TreeView /> : <CommitsView />}
    </div>
  );
}
