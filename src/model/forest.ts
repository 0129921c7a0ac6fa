/**
 * Lay a directed graph out as a forest for display. Every node is expanded once; a node
 * reached again is shown as `repeated` without its subtree (DAGs such as "blocks" share
 * nodes), and an edge back to an ancestor is marked `cycle`, so hand-edited cycles print
 * finitely. Nodes on a cycle that no root reaches get a root of their own: nothing in
 * `nodes` silently disappears.
 */
export interface ForestNode {
  id: string;
  children: ForestNode[];
  repeated: boolean;
  cycle: boolean;
  /** Children not shown: below the depth limit, or past the limit of nodes (limitForest). */
  hidden: number;
}

export interface ForestInput {
  /** Every node to show, in display order (siblings and extra roots follow it). */
  nodes: readonly string[];
  /** Outgoing edges; targets outside `nodes` are ignored. */
  children: ReadonlyMap<string, readonly string[]>;
  roots: readonly string[];
  /** Levels below a root to expand (undefined: all). */
  maxDepth?: number;
}

export function buildForest(input: ForestInput): ForestNode[] {
  const member = new Set(input.nodes);
  const rank = new Map(input.nodes.map((id, i) => [id, i]));
  const kids = (id: string): string[] =>
    (input.children.get(id) ?? []).filter((c) => member.has(c)).sort((a, b) => rank.get(a)! - rank.get(b)!);

  const reached = new Set<string>();
  const reach = (start: string): void => {
    const stack = [start];
    while (stack.length) {
      const id = stack.pop()!;
      if (reached.has(id)) continue;
      reached.add(id);
      stack.push(...kids(id));
    }
  };
  const roots = input.roots.filter((r) => member.has(r));
  for (const r of roots) reach(r);
  for (const id of input.nodes) {
    if (!reached.has(id)) {
      roots.push(id);
      reach(id);
    }
  }

  const expanded = new Set<string>();
  const onPath = new Set<string>();
  const expand = (id: string, depth: number): ForestNode => {
    if (onPath.has(id)) return { id, children: [], repeated: true, cycle: true, hidden: 0 };
    if (expanded.has(id)) return { id, children: [], repeated: true, cycle: false, hidden: 0 };
    const next = kids(id);
    if (input.maxDepth !== undefined && depth >= input.maxDepth) {
      return { id, children: [], repeated: false, cycle: false, hidden: next.length };
    }
    expanded.add(id);
    onPath.add(id);
    const children = next.map((c) => expand(c, depth + 1));
    onPath.delete(id);
    return { id, children, repeated: false, cycle: false, hidden: 0 };
  };
  return roots.map((r) => expand(r, 0));
}

export function countForest(nodes: readonly ForestNode[]): number {
  let n = 0;
  for (const node of nodes) n += 1 + countForest(node.children);
  return n;
}

/**
 * The first `max` nodes of a forest in display order (each before its children): a node's
 * children past them count as hidden; roots past them are left out.
 */
export function limitForest(forest: readonly ForestNode[], max: number): ForestNode[] {
  let left = max;
  const cut = (n: ForestNode): ForestNode => {
    left--;
    const children: ForestNode[] = [];
    let hidden = n.hidden;
    for (const c of n.children) {
      if (left > 0) children.push(cut(c));
      else hidden++;
    }
    return { ...n, children, hidden };
  };
  const roots: ForestNode[] = [];
  for (const r of forest) if (left > 0) roots.push(cut(r));
  return roots;
}
