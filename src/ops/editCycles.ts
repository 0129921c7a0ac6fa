import { TackError } from '../model/errors.js';
import { cycleEnds, cycleText, findCycle } from '../model/graph.js';
import type { Schema } from '../model/schema.js';
import type { Index } from '../index/indexDb.js';

/** What the cycle check needs of an edit: the tickets it touches and where they point. */
export interface EditedGraph {
  schema: Schema;
  index: Index;
  /** Every ticket the edit touches, in order. */
  touched: readonly string[];
  isDeleted(id: string): boolean;
  /** The targets of `kind` ('parent' or a relation) as the edit leaves the ticket. */
  outgoing(id: string, kind: string): string[];
}

function addsEdge(g: EditedGraph, kind: string): boolean {
  const has =
    kind === 'parent'
      ? g.index.db.prepare('SELECT 1 FROM tickets WHERE id = ? AND parent = ?')
      : g.index.db.prepare('SELECT 1 FROM relations WHERE src = ? AND dst = ? AND kind = ?');
  for (const id of g.touched) {
    if (g.isDeleted(id)) continue;
    for (const dst of g.outgoing(id, kind)) {
      if ((kind === 'parent' ? has.get(id, dst) : has.get(id, dst, kind)) === undefined) return true;
    }
  }
  return false;
}

/** Refuse changes that would make `blocks` or `parent` circular. */
export function checkCycles(g: EditedGraph): void {
  const kinds = ['parent', ...g.schema.relations.filter((r) => r.acyclic).map((r) => r.name)];
  const touched = new Set(g.touched);
  for (const kind of kinds) {
    // Only an edge the index does not have yet can close a cycle: most edits add none.
    if (!addsEdge(g, kind)) continue;
    const edges = new Map<string, string[]>();
    const rows =
      kind === 'parent'
        ? g.index.db
            .prepare<{ src: string; dst: string }>(
              'SELECT id AS src, parent AS dst FROM tickets WHERE parent IS NOT NULL',
            )
            .all()
        : g.index.db
            .prepare<{
              src: string;
              dst: string;
            }>('SELECT src, dst FROM relations WHERE kind = ?')
            .all(kind);
    for (const r of rows) if (!touched.has(r.src)) (edges.get(r.src) ?? edges.set(r.src, []).get(r.src)!).push(r.dst);
    for (const id of g.touched) if (!g.isDeleted(id)) edges.set(id, g.outgoing(id, kind));
    const cycle = findCycle(edges, [...g.touched]);
    if (cycle) {
      const shown = cycleText(cycle, kind === 'parent' ? ' → parent → ' : ` ${kind} `);
      throw new TackError('cycle', `refused: this change would make a cycle in "${kind}": ${shown}`, {
        kind,
        cycle: cycleEnds(cycle),
        cycle_length: cycle.length,
      });
    }
  }
}
