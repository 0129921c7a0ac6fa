import { TackError } from '../model/errors.js';
import { cycleEnds, cycleText, findCycle } from '../model/graph.js';
import type { Schema } from '../model/schema.js';
import type { Ticket } from '../model/ticket.js';
import type { Index } from '../index/indexDb.js';

/**
 * The edges an import writes, kept as the tickets are planned instead of the tickets
 * themselves (an import of 100,000 held every parsed file for this check alone), then
 * checked against the store's other edges: refused if `parent` or an acyclic relation
 * would become circular. One edge is kept as its id alone (a parent, most often).
 */
export class ImportEdges {
  private readonly kinds: string[];
  private readonly byKind = new Map<string, Map<string, string | string[]>>();
  /** Tickets that were in the store before: their edges replace the index's even when empty. */
  private readonly replaced = new Set<string>();

  constructor(schema: Schema) {
    this.kinds = ['parent', ...schema.relations.filter((r) => r.acyclic).map((r) => r.name)];
    for (const k of this.kinds) this.byKind.set(k, new Map());
  }

  add(id: string, t: Ticket, existed: boolean): void {
    if (existed) this.replaced.add(id);
    for (const kind of this.kinds) {
      const to = kind === 'parent' ? (t.parent ? [t.parent] : []) : (t.relations[kind] ?? []);
      // A new ticket with no edge of this kind can be on no cycle of it.
      if (to.length || existed) this.byKind.get(kind)!.set(id, to.length === 1 ? to[0] : to);
    }
  }

  check(idx: Index): void {
    for (const kind of this.kinds) {
      const mine = this.byKind.get(kind)!;
      const theirs = new Map<string, string[]>();
      for (const r of storeEdges(idx, kind))
        if (!this.replaced.has(r.src)) (theirs.get(r.src) ?? theirs.set(r.src, []).get(r.src)!).push(r.dst);
      const get = (id: string): readonly string[] | undefined => {
        const to = mine.get(id);
        return to === undefined ? theirs.get(id) : typeof to === 'string' ? [to] : to;
      };
      const cycle = findCycle({ get }, mine.keys());
      if (cycle)
        throw new TackError(
          'cycle',
          `refused: the import would make a cycle in "${kind}": ${cycleText(cycle, ' → ')}`,
          {
            kind,
            cycle: cycleEnds(cycle),
            cycle_length: cycle.length,
          },
        );
    }
  }
}

function storeEdges(idx: Index, kind: string): Array<{ src: string; dst: string }> {
  return kind === 'parent'
    ? idx.db
        .prepare<{ src: string; dst: string }>('SELECT id AS src, parent AS dst FROM tickets WHERE parent IS NOT NULL')
        .all()
    : idx.db.prepare<{ src: string; dst: string }>('SELECT src, dst FROM relations WHERE kind = ?').all(kind);
}
