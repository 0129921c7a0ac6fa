import { describe, expect, it } from 'vitest';
import { buildForest, countForest, limitForest, type ForestNode } from './forest.js';

const edges = (pairs: Array<[string, string]>) => {
  const m = new Map<string, string[]>();
  for (const [a, b] of pairs) m.set(a, [...(m.get(a) ?? []), b]);
  return m;
};

/** Compact picture of a forest: a(b c(d)) with * for repeated and ! for cycle. */
function show(nodes: ForestNode[]): string {
  return nodes
    .map(
      (n) =>
        `${n.id}${n.cycle ? '!' : n.repeated ? '*' : ''}${n.hidden ? `+${n.hidden}` : ''}${n.children.length ? `(${show(n.children)})` : ''}`,
    )
    .join(' ');
}

describe('buildForest', () => {
  it('nests children under their roots in the order of `nodes`', () => {
    const f = buildForest({
      nodes: ['a', 'c', 'b', 'd'],
      children: edges([
        ['a', 'b'],
        ['a', 'c'],
        ['c', 'd'],
      ]),
      roots: ['a'],
    });
    expect(show(f)).toBe('a(c(d) b)');
    expect(countForest(f)).toBe(4);
  });

  it('shows a shared node once and marks later visits as repeated', () => {
    // diamond: a blocks b and c, both block d
    const f = buildForest({
      nodes: ['a', 'b', 'c', 'd'],
      children: edges([
        ['a', 'b'],
        ['a', 'c'],
        ['b', 'd'],
        ['c', 'd'],
      ]),
      roots: ['a'],
    });
    expect(show(f)).toBe('a(b(d) c(d*))');
  });

  it('terminates on cycles and marks the edge back', () => {
    const f = buildForest({
      nodes: ['a', 'b', 'c'],
      children: edges([
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'a'],
      ]),
      roots: ['a'],
    });
    expect(show(f)).toBe('a(b(c(a!)))');
  });

  it('gives a cycle no root reaches a root of its own, so nothing disappears', () => {
    const f = buildForest({
      nodes: ['r', 'x', 'y'],
      children: edges([
        ['x', 'y'],
        ['y', 'x'],
      ]),
      roots: ['r'],
    });
    expect(show(f)).toBe('r x(y(x!))');
  });

  it('ignores edges to nodes that are not shown', () => {
    const f = buildForest({ nodes: ['a'], children: edges([['a', 'gone']]), roots: ['a'] });
    expect(show(f)).toBe('a');
  });

  it('cuts at maxDepth and counts what it hid', () => {
    const f = buildForest({
      nodes: ['a', 'b', 'c', 'd'],
      children: edges([
        ['a', 'b'],
        ['b', 'c'],
        ['b', 'd'],
      ]),
      roots: ['a'],
      maxDepth: 1,
    });
    expect(show(f)).toBe('a(b+2)');
    expect(show(buildForest({ nodes: ['a', 'b'], children: edges([['a', 'b']]), roots: ['a'], maxDepth: 0 }))).toBe(
      'a+1',
    );
  });
});

describe('limitForest', () => {
  const forest = () =>
    buildForest({
      nodes: ['a', 'b', 'c', 'd', 'e', 'f'],
      children: edges([
        ['a', 'b'],
        ['a', 'c'],
        ['c', 'd'],
      ]),
      roots: ['a', 'e', 'f'],
    });

  it('keeps the first nodes in the order drawn, counting the children and roots left out', () => {
    expect(show(forest())).toBe('a(b c(d)) e f');
    const three = limitForest(forest(), 3);
    expect(show(three)).toBe('a(b c+1)');
    expect(forest().length - three.length).toBe(2);
    expect(countForest(three)).toBe(3);
    const five = limitForest(forest(), 5);
    expect(show(five)).toBe('a(b c(d)) e');
    expect(forest().length - five.length).toBe(1);
    expect(limitForest(forest(), 100)).toEqual(forest());
  });

  it('adds to the children a depth limit hid already', () => {
    const deep = buildForest({
      nodes: ['a', 'b', 'c'],
      children: edges([
        ['a', 'b'],
        ['b', 'c'],
      ]),
      roots: ['a'],
      maxDepth: 1,
    });
    expect(show(deep)).toBe('a(b+1)');
    expect(show(limitForest(deep, 1))).toBe('a+1');
  });
});
