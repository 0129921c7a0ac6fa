/**
 * Find a cycle reachable from `starts` in a directed graph (e.g. "a blocks b", "a's
 * parent is b"). Returns the cycle as a path [x, …, x] or null.
 */
export function findCycle(edges: ReadonlyMap<string, readonly string[]>, starts: readonly string[]): string[] | null {
  const state = new Map<string, 1 | 2>(); // 1: on the current path, 2: done
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    const s = state.get(node);
    if (s === 2) return null;
    if (s === 1) return [...path.slice(path.indexOf(node)), node];
    state.set(node, 1);
    path.push(node);
    for (const next of edges.get(node) ?? []) {
      const c = visit(next);
      if (c) return c;
    }
    path.pop();
    state.set(node, 2);
    return null;
  };
  for (const s of starts) {
    const c = visit(s);
    if (c) return c;
  }
  return null;
}
