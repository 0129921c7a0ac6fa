import { countForest, layForest, type ForestNode } from '../model/forest.js';
import type { DB } from './indexDb.js';
import type { TreeNode } from '../model/workShapes.js';

export type TreeKind = 'parent' | 'blocks' | 'both';

/** One ticket in `tack tree --json`; `children` nest, shared or circular nodes are marked. */
export type { TreeNode };

export interface TreeResult {
  kind: TreeKind;
  root: string | null;
  /** Tickets drawn. */
  count: number;
  /** Tickets in the whole tree, drawn or not (past the limit). */
  total: number;
  roots: TreeNode[];
}

export interface TreeOptions {
  kind: TreeKind;
  /** Draw the subtree below this ticket; without it, the forest of (open) work. */
  root?: string;
  /** Include completed and canceled tickets in the forest. */
  all?: boolean;
  depth?: number;
  /** At most this many tickets drawn, in display order (undefined: all). */
  limit?: number;
}

interface Row {
  id: string;
  short_id: string;
  title: string;
  type: string;
  status: string;
  category: string | null;
  priority: string;
  assignee: string | null;
  parent: string | null;
}

/** Ids named in each of a node's blocks, blocked_by and waiting_on. */
const EDGES_SHOWN = 20;

/** Work in progress first, closed work last (category_rank: 4 completed, 5 canceled), as `list`. */
const ORDER = 't.category_rank, t.priority_rank, t.created, t.id';
const COLS = 't.id, t.short_id, t.title, t.type, t.status, t.category, t.priority, t.assignee, t.parent';
const OPEN = 't.category_rank NOT IN (4, 5)';

/**
 * What the shape of the forest needs: each ticket's parent, in display order (a Map keeps
 * the order it was filled in). The columns drawn are read for the tickets drawn only: at
 * 100,000 tickets every open ticket's row held 140 MiB to draw 200.
 */
type Parents = Map<string, string | null>;

function parents(rows: Iterable<Pick<Row, 'id' | 'parent'>>): Parents {
  const out: Parents = new Map();
  for (const r of rows) out.set(r.id, r.parent);
  return out;
}

/** The tickets below `root` (itself included); UNION stops on cycles. */
function subtreeParents(db: DB, root: string, kind: TreeKind): Parents {
  const step =
    kind === 'blocks'
      ? "SELECT r.dst FROM relations r JOIN sub ON r.src = sub.id WHERE r.kind = 'blocks'"
      : 'SELECT c.id FROM tickets c JOIN sub ON c.parent = sub.id';
  return parents(
    db
      .prepare<Pick<Row, 'id' | 'parent'>>(`WITH RECURSIVE sub(id) AS (SELECT ? UNION ${step})
    SELECT t.id, t.parent FROM tickets t JOIN sub ON sub.id = t.id ORDER BY ${ORDER}`)
      .iterate(root),
  );
}

function forestParents(db: DB, all: boolean): Parents {
  return parents(
    db
      .prepare<Pick<Row, 'id' | 'parent'>>(
        `SELECT t.id, t.parent FROM tickets t ${all ? '' : `WHERE ${OPEN}`} ORDER BY ${ORDER}`,
      )
      .iterate(),
  );
}

function drawnRows(db: DB, forest: ForestNode[]): Map<string, Row> {
  const ids = new Set<string>();
  const walk = (f: ForestNode): void => {
    ids.add(f.id);
    f.children.forEach(walk);
  };
  forest.forEach(walk);
  const rows = db
    .prepare<Row>(`SELECT ${COLS} FROM tickets t WHERE t.id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify([...ids]));
  return new Map(rows.map((r) => [r.id, r]));
}

function push(map: Map<string, string[]>, k: string, v: string): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}

/**
 * The parent hierarchy (kind parent, and both: blocks edges are annotations there) or the
 * blocks graph (blocker on the left, what it blocks to its right), as nested nodes.
 */
export function ticketTree(db: DB, opts: TreeOptions): TreeResult {
  const byId = opts.root ? subtreeParents(db, opts.root, opts.kind) : forestParents(db, opts.all ?? false);
  const blockEdges = db
    .prepare<{
      src: string;
      dst: string;
      src_category: string | null;
    }>(`SELECT r.src, r.dst, s.category AS src_category FROM relations r
    LEFT JOIN tickets s ON s.id = r.src WHERE r.kind = 'blocks' ORDER BY r.src, r.dst`)
    .all();
  const blocks = new Map<string, string[]>();
  const blockedBy = new Map<string, string[]>();
  const waiting = new Map<string, string[]>();
  for (const e of blockEdges) {
    if (!byId.has(e.src) && !byId.has(e.dst)) continue;
    push(blocks, e.src, e.dst);
    push(blockedBy, e.dst, e.src);
    if (e.src_category !== null && e.src_category !== 'completed' && e.src_category !== 'canceled')
      push(waiting, e.dst, e.src);
  }

  const children = new Map<string, string[]>();
  let nodes = [...byId.keys()];
  let roots: string[];
  if (opts.kind === 'blocks') {
    for (const e of blockEdges) if (byId.has(e.src) && byId.has(e.dst)) push(children, e.src, e.dst);
    if (opts.root) roots = [opts.root];
    else {
      const linked = new Set<string>();
      const hasBlocker = new Set<string>();
      for (const [src, dsts] of children) {
        linked.add(src);
        for (const d of dsts) {
          linked.add(d);
          hasBlocker.add(d);
        }
      }
      // A forest of chains: tickets with no blocks edge among the shown ones are left out.
      nodes = nodes.filter((id) => linked.has(id));
      roots = nodes.filter((id) => !hasBlocker.has(id));
    }
  } else {
    for (const [id, parent] of byId) if (parent && byId.has(parent)) push(children, parent, id);
    roots = [];
    if (opts.root) roots.push(opts.root);
    else for (const [id, parent] of byId) if (!parent || !byId.has(parent)) roots.push(id);
  }
  if (opts.root && !byId.has(opts.root)) return { kind: opts.kind, root: opts.root, count: 0, total: 0, roots: [] };

  // With a root, only its own subtree: other nodes the recursive query met cannot be orphans.
  const forest = layForest(
    { nodes, children, roots, maxDepth: opts.depth },
    { limit: opts.limit, firstRootOnly: opts.root !== undefined },
  );
  const shown = forest.roots;
  const drawn = drawnRows(db, shown);
  // Anyone can make 20,000 tickets block one: its note was a 260 KB line.
  let hidden = 0;
  const first = (ids: string[] | undefined): string[] => {
    if (!ids) return [];
    hidden += Math.max(0, ids.length - EDGES_SHOWN);
    return ids.slice(0, EDGES_SHOWN);
  };
  const toNode = (f: ForestNode): TreeNode => {
    const r = drawn.get(f.id)!;
    hidden = 0;
    const edges = {
      blocks: first(blocks.get(r.id)),
      blocked_by: first(blockedBy.get(r.id)),
      waiting_on: first(waiting.get(r.id)),
    };
    return {
      id: r.id,
      short_id: r.short_id,
      title: r.title,
      type: r.type,
      status: r.status,
      category: r.category,
      priority: r.priority,
      assignee: r.assignee,
      ...edges,
      hidden_edges: hidden,
      blocked: waiting.has(r.id),
      repeated: f.repeated,
      cycle: f.cycle,
      hidden_children: f.hidden,
      children: f.children.map(toNode),
    };
  };
  return {
    kind: opts.kind,
    root: opts.root ?? null,
    count: countForest(shown),
    total: forest.total,
    roots: shown.map(toNode),
  };
}
