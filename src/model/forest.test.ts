import { describe, expect, it } from 'vitest';
import { buildForest, countForest, layForest, type ForestInput, type ForestNode } from './forest.js';

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

describe('layForest with a limit', () => {
  const input: ForestInput = {
    nodes: ['a', 'b', 'c', 'd', 'e', 'f'],
    children: edges([
      ['a', 'b'],
      ['a', 'c'],
      ['c', 'd'],
    ]),
    roots: ['a', 'e', 'f'],
  };

  it('makes the first nodes in the order drawn, counting the children and roots left out', () => {
    const whole = layForest(input);
    expect(show(whole.roots)).toBe('a(b c(d)) e f');
    expect(whole.total).toBe(6);
    const three = layForest(input, { limit: 3 });
    expect(show(three.roots)).toBe('a(b c+1)');
    expect(countForest(three.roots)).toBe(3);
    expect(three.total).toBe(6);
    const five = layForest(input, { limit: 5 });
    expect(show(five.roots)).toBe('a(b c(d)) e');
    expect(layForest(input, { limit: 100 })).toEqual(whole);
    expect(layForest(input, { limit: 0 })).toEqual({ roots: [], total: 6 });
  });

  it('adds to the children a depth limit hid already', () => {
    const deep: ForestInput = {
      nodes: ['a', 'b', 'c'],
      children: edges([
        ['a', 'b'],
        ['b', 'c'],
      ]),
      roots: ['a'],
      maxDepth: 1,
    };
    expect(show(buildForest(deep))).toBe('a(b+1)');
    expect(show(layForest(deep, { limit: 1 }).roots)).toBe('a+1');
    expect(layForest(deep, { limit: 1 }).total).toBe(2);
  });

  it('counts repeated and circular nodes past the limit as it draws them, and can keep the first root only', () => {
    const dag: ForestInput = {
      nodes: ['a', 'b', 'c', 'x', 'y'],
      children: edges([
        ['a', 'b'],
        ['a', 'c'],
        ['b', 'c'],
        ['x', 'y'],
        ['y', 'x'],
      ]),
      roots: ['a'],
    };
    const whole = layForest(dag);
    expect(show(whole.roots)).toBe('a(b(c) c*) x(y(x!))');
    expect(whole.total).toBe(countForest(whole.roots));
    expect(show(layForest(dag, { limit: 4 }).roots)).toBe('a(b(c) c*)');
    expect(layForest(dag, { limit: 4 }).total).toBe(7);
    const first = layForest(dag, { firstRootOnly: true });
    expect(show(first.roots)).toBe('a(b(c) c*)');
    expect(first.total).toBe(4);
  });
});
