/**
 * Find a cycle reachable from `starts` in a directed graph (e.g. "a blocks b", "a's
 * parent is b"). Returns the cycle as a path [x, …, x] or null.
 *
 * Depth first with a stack of its own, not recursion: a chain of tickets written by anyone
 * (30,000 parents deep) overflowed the call stack and failed every command that checks for
 * cycles, on every ticket.
 */
export function findCycle(
  edges: Pick<ReadonlyMap<string, readonly string[]>, 'get'>,
  starts: Iterable<string>,
): string[] | null {
  const state = new Map<string, 1 | 2>(); // 1: on the current path, 2: done
  const path: string[] = [];
  // For each node on the path: the index of its next edge to follow.
  const nextEdge: number[] = [];
  const enter = (node: string): string[] | null => {
    const s = state.get(node);
    if (s === 2) return null;
    if (s === 1) return [...path.slice(path.indexOf(node)), node];
    state.set(node, 1);
    path.push(node);
    nextEdge.push(0);
    return null;
  };
  for (const start of starts) {
    const found = enter(start);
    if (found) return found;
    while (path.length > 0) {
      const top = path.length - 1;
      const out = edges.get(path[top]) ?? [];
      if (nextEdge[top] < out.length) {
        const c = enter(out[nextEdge[top]++]);
        if (c) return c;
        continue;
      }
      state.set(path.pop()!, 2);
      nextEdge.pop();
    }
  }
  return null;
}

/** Ids shown at each end of a long cycle. */
const CYCLE_ENDS = 5;

/**
 * A cycle as one line: whole when short, else its first and last ids around how many are
 * left out (a cycle of 20,000 tickets made a 380 KB message).
 */
export function cycleText(cycle: readonly string[], joiner: string): string {
  if (cycle.length <= 2 * CYCLE_ENDS + 2) return cycle.join(joiner);
  const left = cycle.length - 2 * CYCLE_ENDS;
  return [...cycle.slice(0, CYCLE_ENDS), `… ${left} more …`, ...cycle.slice(-CYCLE_ENDS)].join(joiner);
}

/** The ids of a cycle to put in an error's details: all of a short one, the ends of a long one. */
export function cycleEnds(cycle: readonly string[]): string[] {
  return cycle.length <= 2 * CYCLE_ENDS + 2 ? [...cycle] : [...cycle.slice(0, CYCLE_ENDS), ...cycle.slice(-CYCLE_ENDS)];
}
