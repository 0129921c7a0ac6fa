import { describe, expect, it } from 'vitest';
import type { TreeNode, TreeResult } from '../../index/treeQuery.js';
import { drawTree, PLAIN } from './drawTree.js';

function node(id: string, title: string, children: TreeNode[] = [], extra: Partial<TreeNode> = {}): TreeNode {
  return {
    id: `tk-${id}xxxx`,
    short_id: `tk-${id}`,
    title,
    type: 'task',
    status: 'todo',
    category: 'unstarted',
    priority: 'none',
    assignee: null,
    blocks: [],
    blocked_by: [],
    waiting_on: [],
    hidden_edges: 0,
    blocked: false,
    repeated: false,
    cycle: false,
    hidden_children: 0,
    children,
    ...extra,
  };
}

const result = (roots: TreeNode[]): TreeResult => ({ kind: 'both', root: null, count: 0, total: 0, roots });

describe('drawTree', () => {
  it('draws children to the right of their parent with box-drawing connectors', () => {
    const tree = node('aaaa', 'Epic', [
      node('bbbb', 'Parser', [node('dddd', 'Fixtures')], { category: 'completed' }),
      node('cccc', 'Lexer', [], { category: 'started' }),
      node('eeee', 'Docs'),
    ]);
    expect(drawTree(result([tree]), { width: 0, notes: false, paint: PLAIN })).toEqual([
      'tk-aaaa ○ Epic ─┬─ tk-bbbb ● Parser ─── tk-dddd ○ Fixtures',
      '                ├─ tk-cccc ◐ Lexer',
      '                └─ tk-eeee ○ Docs',
    ]);
  });

  it('keeps the vertical line going past a sibling subtree of several lines', () => {
    const tree = node('aaaa', 'A', [node('bbbb', 'B', [node('cccc', 'C'), node('dddd', 'D')]), node('eeee', 'E')]);
    expect(drawTree(result([tree]), { width: 0, notes: false, paint: PLAIN })).toEqual([
      'tk-aaaa ○ A ─┬─ tk-bbbb ○ B ─┬─ tk-cccc ○ C',
      '             │               └─ tk-dddd ○ D',
      '             └─ tk-eeee ○ E',
    ]);
  });

  it('marks repeated nodes, cycles, hidden children and blocks notes', () => {
    const tree = node('aaaa', 'A', [
      node('bbbb', 'B', [], { repeated: true }),
      node('aaaa', 'A', [], { repeated: true, cycle: true }),
      node('cccc', 'C', [], {
        hidden_children: 3,
        blocked: true,
        blocked_by: ['tk-bbbbxxxx', 'tk-ddddxxxx'],
        waiting_on: ['tk-bbbbxxxx'],
        blocks: ['tk-zzzzzzzz'],
      }),
    ]);
    const lines = drawTree(result([tree]), { width: 0, notes: true, paint: PLAIN });
    expect(lines[0]).toBe('tk-aaaa ○ A ─┬─ tk-bbbb ○ B (see above)');
    expect(lines[1]).toBe('             ├─ tk-aaaa ○ A ↺ cycle');
    expect(lines[2]).toBe('             └─ tk-cccc ○ C (+3 more) ⊘ blocked by tk-bbbb → blocks tk-zzzzzzzz');
  });

  it('cuts long titles of inner nodes and separates multi-line trees with a blank line', () => {
    const long = 'A very long title that goes on and on and on well past the limit';
    const lines = drawTree(
      result([
        node('aaaa', long, [node('bbbb', long), node('eeee', 'E')]),
        node('cccc', 'Alone'),
        node('dddd', 'Alone too'),
      ]),
      { width: 0, notes: false, paint: PLAIN },
    );
    expect(lines[0]).toBe(
      'tk-aaaa ○ A very long title that goes on… ─┬─ tk-bbbb ○ A very long title that goes on and on and on well past the limit',
    );
    expect(lines.slice(2)).toEqual(['', 'tk-cccc ○ Alone', 'tk-dddd ○ Alone too']);
  });

  it('fits leaves into the terminal width', () => {
    const lines = drawTree(result([node('aaaa', 'Root', [node('bbbb', 'x'.repeat(200))])]), {
      width: 80,
      notes: false,
      paint: PLAIN,
    });
    expect([...lines[0]].length).toBeLessThanOrEqual(80);
    expect(lines[0].endsWith('…')).toBe(true);
  });
});
