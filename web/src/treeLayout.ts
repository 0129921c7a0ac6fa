/** Geometry of the left-to-right trees the graph page draws (dependencies, files). */
export interface Placed<T> {
  n: T;
  x: number;
  y: number;
  parent: Placed<T> | null;
}

export const W = 220;
export const H = 34;
export const GAP_X = 60;
export const GAP_Y = 10;

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

/** The curve from a parent's right side to its child's left side. */
export function parentEdge<T>(parent: Placed<T>, child: Placed<T>): string {
  const x1 = parent.x + W;
  const y1 = parent.y + H / 2;
  const x2 = child.x;
  const y2 = child.y + H / 2;
  return `M${x1},${y1} C${x1 + GAP_X / 2},${y1} ${x2 - GAP_X / 2},${y2} ${x2},${y2}`;
}
