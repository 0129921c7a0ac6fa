import { useEffect, useMemo, useState } from 'react';
import { get } from './api';
import { navigate } from './router';
import { H, layoutTree, parentEdge, W } from './treeLayout';

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

/** The store's files as a tree, left to right; a ticket or doc opens on click. */
export function FilesView() {
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
            return <path key={`e:${p.n.path}`} className="edge" d={parentEdge(a, p)} />;
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
