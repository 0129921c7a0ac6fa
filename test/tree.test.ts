import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tack, tackJson, tackRaw, tempRepo } from './helpers.js';
import { commitToStore, ticketText } from './storeFiles.js';
import type { TreeNode, TreeResult } from '../src/index/treeQuery.js';

// The --json shape is the index's: the test reads it through the same types.
type Node = TreeNode;
type Tree = TreeResult;

const ids = (nodes: Node[]) => nodes.map((n) => n.id);
function find(nodes: Node[], id: string): Node | undefined {
  for (const n of nodes) {
    if (n.id === id && !n.repeated) return n;
    const hit = find(n.children, id);
    if (hit) return hit;
  }
  return undefined;
}

let repo: { dir: string; cleanup: () => void };
const t: Record<string, string> = {};
const short: Record<string, string> = {};
const create = (key: string, ...args: string[]) => {
  const out = tackJson(repo.dir, 'create', ...args);
  t[key] = out.id;
  short[key] = out.short_id;
};

beforeAll(() => {
  repo = tempRepo();
  tack(repo.dir, 'init');
  create('epic', 'Parser rewrite', '-t', 'epic');
  create('a', 'Lexer handles comments', '--parent', t.epic);
  create('b', 'Parser keeps comments', '--parent', t.epic, '--blocks', t.a);
  create('c', 'Comment fixtures', '--parent', t.a);
  create('d', 'Old approach', '--parent', t.epic);
  create('solo', 'Standalone chore');
  create('w', 'Ship it');
  create('y', 'Left branch', '--blocks', t.w);
  create('z', 'Right branch', '--blocks', t.w);
  create('x', 'Kick-off', '--blocks', t.y, '--blocks', t.z);
  tack(repo.dir, 'update', t.a, '-s', 'in-progress');
  tack(repo.dir, 'close', t.d, '--cancel');
});
afterAll(() => repo.cleanup());

describe('tack tree', () => {
  it('without an id: the parent forest of open work, blocks edges noted', () => {
    const tree = tackJson<Tree>(repo.dir, 'tree');
    expect(tree.kind).toBe('both');
    expect(tree.root).toBeNull();
    expect(ids(tree.roots).sort()).toEqual([t.epic, t.solo, t.w, t.x, t.y, t.z].sort());
    const epic = tree.roots.find((n) => n.id === t.epic)!;
    // started work sorts first; the canceled child is not open work
    expect(ids(epic.children)).toEqual([t.a, t.b]);
    expect(ids(epic.children[0].children)).toEqual([t.c]);
    expect(epic.children[0]).toMatchObject({
      blocked: true,
      blocked_by: [t.b],
      waiting_on: [t.b],
      status: 'in-progress',
      category: 'started',
      short_id: short.a,
    });
    expect(epic.children[1].blocks).toEqual([t.a]);
    expect(tree.count).toBe(9);
  });

  it('draws at most --limit tickets (200 unless asked), in the order drawn, and says how many there are', () => {
    expect(tackJson<Tree>(repo.dir, 'tree')).toMatchObject({ count: 9, total: 9 });
    expect(tackJson<Tree>(repo.dir, 'tree', '-n', '2')).toMatchObject({ count: 2, total: 9 });
    expect(tack(repo.dir, 'tree', '-n', '2')).toContain('2 of 9 tickets drawn: --limit 0 for all');
    // The epic's subtree: epic → a (started, first) → c; then b and the canceled d.
    const whole = tackJson<Tree>(repo.dir, 'tree', t.epic);
    expect(whole.count).toBe(whole.total);
    const two = tackJson<Tree>(repo.dir, 'tree', t.epic, '-n', '2');
    expect(two).toMatchObject({ count: 2, total: whole.total });
    expect(ids(two.roots)).toEqual([t.epic]);
    expect(ids(two.roots[0].children)).toEqual([t.a]);
    expect(two.roots[0].hidden_children).toBe(whole.roots[0].children.length - 1);
    expect(two.roots[0].children[0].hidden_children).toBe(1); // c
  });

  it('--all brings closed tickets into the forest', () => {
    const tree = tackJson<Tree>(repo.dir, 'tree', '--all');
    expect(ids(tree.roots.find((n) => n.id === t.epic)!.children)).toContain(t.d);
  });

  it('draws left to right: root first, children to the right with box-drawing characters', () => {
    const lines = tack(repo.dir, 'tree', short.epic).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      new RegExp(
        `^${short.epic} ○ Parser rewrite ─┬─ ${short.a} ◐ Lexer handles comments ⊘ blocked by ${short.b} ─── ${short.c} ○ Comment fixtures$`,
      ),
    );
    const col = lines[0].indexOf('┬');
    expect(lines[1].indexOf('├')).toBe(col);
    expect(lines[1]).toContain(`├─ ${short.b} ○ Parser keeps comments → blocks ${short.a}`);
    expect(lines[2].indexOf('└')).toBe(col);
    expect(lines[2]).toContain(`└─ ${short.d} ✕ Old approach`); // with an id, closed children show too
  });

  it('--kind blocks: blockers on the left, a shared node once, then marked', () => {
    const tree = tackJson<Tree>(repo.dir, 'tree', t.x, '--kind', 'blocks');
    expect(tree.root).toBe(t.x);
    const [x] = tree.roots;
    expect(ids(x.children).sort()).toEqual([t.y, t.z].sort());
    const [first, second] = x.children;
    expect(first.children).toHaveLength(1);
    expect(first.children[0]).toMatchObject({ id: t.w, repeated: false });
    expect(second.children).toHaveLength(1);
    expect(second.children[0]).toMatchObject({ id: t.w, repeated: true, children: [] });
    expect(tree.count).toBe(5);
    const human = tack(repo.dir, 'tree', t.x, '--kind', 'blocks');
    expect(human).toContain('(see above)');
  });

  it('--kind blocks without an id: only chains, rooted at what nothing blocks', () => {
    const tree = tackJson<Tree>(repo.dir, 'tree', '--kind', 'blocks');
    expect(ids(tree.roots).sort()).toEqual([t.b, t.x].sort());
    expect(JSON.stringify(tree)).not.toContain(t.solo);
  });

  it('--depth hides deeper levels and says how many children it hid', () => {
    const tree = tackJson<Tree>(repo.dir, 'tree', t.epic, '--depth', '1');
    const a = tree.roots[0].children.find((n) => n.id === t.a)!;
    expect(a.children).toEqual([]);
    expect(a.hidden_children).toBe(1);
    expect(tack(repo.dir, 'tree', t.epic, '--depth', '1')).toContain('(+1 more)');
  });

  it('a closed blocker stays in blocked_by but no longer blocks', () => {
    tack(repo.dir, 'close', t.b);
    const a = find(tackJson<Tree>(repo.dir, 'tree', t.epic).roots, t.a)!;
    expect(a).toMatchObject({ blocked_by: [t.b], waiting_on: [], blocked: false });
    expect(tack(repo.dir, 'tree', t.epic)).not.toContain('⊘');
  });

  it('an unknown id is a not_found error', () => {
    const r = tackRaw(repo.dir, ['tree', 'tk-nope', '--json']);
    expect(r.status).toBe(3);
    expect(JSON.parse(r.stderr).error.code).toBe('not_found');
  });
});

describe('tack tree on broken and large stores', () => {
  it('terminates on a hand-edited parent cycle and still shows every ticket', () => {
    const r = tempRepo();
    try {
      tack(r.dir, 'init');
      const now = '2026-01-01T00:00:00Z';
      commitToStore(
        r.dir,
        {
          'tickets/tk-cyc00001.md': ticketText({
            id: 'tk-cyc00001',
            title: 'One',
            status: 'todo',
            parent: 'tk-cyc00002',
            created: now,
            updated: now,
          }),
          'tickets/tk-cyc00002.md': ticketText({
            id: 'tk-cyc00002',
            title: 'Two',
            status: 'todo',
            parent: 'tk-cyc00001',
            created: now,
            updated: now,
          }),
        },
        'hand edit: a cycle',
      );
      const tree = tackJson<Tree>(r.dir, 'tree');
      expect(tree.roots).toHaveLength(1);
      const [root] = tree.roots;
      expect(root.children).toHaveLength(1);
      expect(root.children[0].children).toEqual([
        expect.objectContaining({ id: root.id, cycle: true, repeated: true, children: [] }),
      ]);
      expect(tack(r.dir, 'tree')).toContain('↺ cycle');
      const sub = tackJson<Tree>(r.dir, 'tree', 'tk-cyc00001');
      expect(sub.count).toBe(3);
    } finally {
      r.cleanup();
    }
  });

  it('stays readable for hundreds of tickets: one line per leaf, quickly', () => {
    const r = tempRepo();
    try {
      tack(r.dir, 'init');
      const now = '2026-01-01T00:00:00Z';
      const files: Record<string, string> = {};
      for (let e = 0; e < 10; e++) {
        const epic = `tk-ep${String(e).padStart(6, '0')}`;
        files[`tickets/${epic}.md`] = ticketText({
          id: epic,
          title: `Epic ${e}`,
          type: 'epic',
          status: 'todo',
          created: now,
          updated: now,
        });
        for (let k = 0; k < 30; k++) {
          const id = `tk-ch${String(e * 100 + k).padStart(6, '0')}`;
          files[`tickets/${id}.md`] = ticketText({
            id,
            title: `Task ${e}.${k} with a reasonably long title`,
            status: 'todo',
            parent: epic,
            created: now,
            updated: now,
          });
        }
      }
      commitToStore(r.dir, files, 'bulk import');
      const started = Date.now();
      const out = tack(r.dir, 'tree', '--limit', '0').trimEnd().split('\n');
      expect(Date.now() - started).toBeLessThan(5000);
      const body = out.filter((l) => l.trim() && !/tickets$/.test(l));
      expect(body).toHaveLength(300);
      expect(out[out.length - 1]).toBe('310 tickets');
      expect(body.filter((l) => l.includes('─┬─'))).toHaveLength(10);
      expect(Math.max(...body.map((l) => [...l].length))).toBeLessThan(120);
      // Unless asked for all, 200 of them: the first ones drawn, and a line that says so.
      const first = tack(r.dir, 'tree').trimEnd().split('\n');
      expect(first.at(-1)).toBe('200 of 310 tickets drawn: --limit 0 for all, --depth N for fewer levels');
      expect(first.slice(0, 150)).toEqual(out.slice(0, 150));
    } finally {
      r.cleanup();
    }
  });
});
