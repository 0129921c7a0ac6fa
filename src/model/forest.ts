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

/** A laid-out forest: the nodes made, and how many the whole forest has. */
export interface Forest {
  roots: ForestNode[];
  /** Nodes of the whole forest, made or not (repeated and cycle marks count; depth-hidden children do not). */
  total: number;
}

export interface LayoutLimits {
  /**
   * At most this many nodes made, the first in the order drawn (each before its children):
   * a made node's children past them count in its `hidden`; roots past them are left out.
   * The rest is walked and counted, never made (at 100,000 tickets `tree` drew 200 of a
   * forest of 71,500 it had built whole).
   */
  limit?: number;
  /** Only the first root's tree (a subtree asked for by its root; later roots are orphans). */
  firstRootOnly?: boolean;
}

export function buildForest(input: ForestInput): ForestNode[] {
  return layForest(input).roots;
}

export function layForest(input: ForestInput, limits: LayoutLimits = {}): Forest {
  const member = new Set(input.nodes);
  const rank = new Map(input.nodes.map((id, i) => [id, i]));
  // Most nodes have no children: one shared empty list, not two new arrays each (at 100,000
  // tickets, 71,500 open ones), which the walk below never changes.
  const none: string[] = [];
  const kids = (id: string): string[] => {
    const all = input.children.get(id);
    return all ? all.filter((c) => member.has(c)).sort((a, b) => rank.get(a)! - rank.get(b)!) : none;
  };

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

  const limit = limits.limit ?? Number.POSITIVE_INFINITY;
  const expanded = new Set<string>();
  const onPath = new Set<string>();
  let total = 0;
  // Depth first with a stack of its own, not recursion: a chain of tickets written by anyone
  // (30,000 parents deep) overflowed the call stack. A frame is a node being expanded.
  const stack: Array<{ id: string; depth: number; node: ForestNode | null; next: string[]; at: number }> = [];
  // `parent`: the made node this one hangs under (null: a root, or below a node not made).
  const enter = (id: string, depth: number, parent: ForestNode | null, out: ForestNode[]): void => {
    const node: ForestNode | null =
      total++ < limit ? { id, children: [], repeated: false, cycle: false, hidden: 0 } : null;
    if (node) out.push(node);
    else if (parent) parent.hidden++;
    if (onPath.has(id) || expanded.has(id)) {
      if (node) Object.assign(node, { repeated: true, cycle: onPath.has(id) });
      return;
    }
    const next = kids(id);
    if (input.maxDepth !== undefined && depth >= input.maxDepth) {
      if (node) node.hidden = next.length;
      return;
    }
    expanded.add(id);
    onPath.add(id);
    stack.push({ id, depth, node, next, at: 0 });
  };
  const made: ForestNode[] = [];
  for (const r of limits.firstRootOnly ? roots.slice(0, 1) : roots) {
    enter(r, 0, null, made);
    while (stack.length > 0) {
      const f = stack[stack.length - 1];
      if (f.at < f.next.length) enter(f.next[f.at++], f.depth + 1, f.node, f.node ? f.node.children : []);
      else {
        onPath.delete(f.id);
        stack.pop();
      }
    }
  }
  return { roots: made, total };
}

export function countForest(nodes: readonly ForestNode[]): number {
  let n = 0;
  const stack = [...nodes];
  for (let node = stack.pop(); node; node = stack.pop()) {
    n++;
    stack.push(...node.children);
  }
  return n;
}
