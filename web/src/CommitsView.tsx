import { useEffect, useMemo, useState } from 'react';
import { get } from './api';
import { onTicketChange } from './store';
import { navigate } from './router';
import { commitLanes } from './commitLanes';
import { When } from './When';

interface Commit {
  sha: string;
  parents: string[];
  time: string;
  author: string;
  subject: string;
  op: string | null;
  tickets: string[];
}

/** The store's commits, newest first, with their lanes. */
export function CommitsView() {
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
              {c.author} · <When iso={c.time} />
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
