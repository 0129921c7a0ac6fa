/** A commit as the log lists it: newest first, each with its parents (first parent first). */
export interface LaneCommit {
  sha: string;
  parents: string[];
}

export interface CommitEdge {
  /** Rows (index in the list) and lanes of the child and the parent. */
  from: { row: number; lane: number };
  to: { row: number; lane: number };
  /** The lane the edge runs down between them. */
  via: number;
}

/**
 * Lanes for a top-down commit graph: a commit sits in the lane that waits for it (the
 * leftmost, if several do: those branches merge into it there); its first parent keeps its
 * lane, every further parent (a merge) takes a lane of its own. Parents outside the list
 * get no edge.
 */
export function commitLanes(commits: readonly LaneCommit[]): { lane: number[]; edges: CommitEdge[]; width: number } {
  const waiting: Array<string | null> = [];
  const lane: number[] = [];
  const rowOf = new Map(commits.map((c, i) => [c.sha, i]));
  const pending: Array<{ from: { row: number; lane: number }; via: number; sha: string }> = [];
  const free = () => {
    const i = waiting.indexOf(null);
    return i < 0 ? waiting.push(null) - 1 : i;
  };
  commits.forEach((c, row) => {
    let at = waiting.indexOf(c.sha);
    if (at < 0) at = free();
    for (let k = 0; k < waiting.length; k++) if (waiting[k] === c.sha) waiting[k] = null;
    lane[row] = at;
    c.parents.forEach((p, i) => {
      if (!rowOf.has(p)) return;
      // The first parent goes on down this lane (two lanes may wait for one commit: they join at it).
      const already = waiting.indexOf(p);
      const via = i === 0 ? at : already >= 0 ? already : free();
      waiting[via] = p;
      pending.push({ from: { row, lane: at }, via, sha: p });
    });
  });
  const edges = pending.map((e) => ({
    from: e.from,
    via: e.via,
    to: { row: rowOf.get(e.sha)!, lane: lane[rowOf.get(e.sha)!] },
  }));
  return { lane, edges, width: Math.max(1, waiting.length) };
}
