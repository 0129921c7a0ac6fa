import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cycleEnds, cycleText, findCycle } from './graph.js';

const g = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

describe('findCycle', () => {
  it('no cycle in a DAG', () => {
    expect(findCycle(g({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }), ['a', 'b', 'c', 'd'])).toBeNull();
  });

  it('a two-node cycle', () => {
    expect(findCycle(g({ a: ['b'], b: ['a'] }), ['a'])).toEqual(['a', 'b', 'a']);
  });

  it('a self loop', () => {
    expect(findCycle(g({ a: ['a'] }), ['a'])).toEqual(['a', 'a']);
  });

  it('returns only the cycle, not the path leading to it', () => {
    expect(findCycle(g({ s: ['x'], x: ['y'], y: ['z'], z: ['x'] }), ['s'])).toEqual(['x', 'y', 'z', 'x']);
  });

  it('a cycle unreachable from the starts is not reported', () => {
    expect(findCycle(g({ a: ['b'], x: ['y'], y: ['x'] }), ['a'])).toBeNull();
  });

  it('nodes without an entry are leaves', () => {
    expect(findCycle(g({ a: ['missing'] }), ['a'])).toBeNull();
  });

  it('follows a chain deeper than the call stack goes (100,000 nodes), with or without a cycle at its end', () => {
    const n = 100_000;
    const chain = new Map<string, string[]>();
    for (let i = 0; i < n - 1; i++) chain.set(`t${i}`, [`t${i + 1}`]);
    expect(findCycle(chain, ['t0'])).toBeNull();
    chain.set(`t${n - 1}`, [`t${n - 2}`]);
    expect(findCycle(chain, ['t0'])).toEqual([`t${n - 2}`, `t${n - 1}`, `t${n - 2}`]);
  });

  it('writes a short cycle whole and a long one by its ends', () => {
    expect(cycleText(['a', 'b', 'a'], ' → ')).toBe('a → b → a');
    const long = [...Array.from({ length: 20_000 }, (_, i) => `t${i}`), 't0'];
    expect(cycleText(long, ' → ')).toBe(
      't0 → t1 → t2 → t3 → t4 → … 19991 more … → t19996 → t19997 → t19998 → t19999 → t0',
    );
    expect(cycleEnds(long)).toEqual(['t0', 't1', 't2', 't3', 't4', 't19996', 't19997', 't19998', 't19999', 't0']);
    expect(cycleEnds(['a', 'a'])).toEqual(['a', 'a']);
  });

  it('property: a reported cycle is made of real edges and closes; none is reported for a DAG', () => {
    const nodes = ['a', 'b', 'c', 'd', 'e', 'f'];
    const edgeArb = fc.array(fc.tuple(fc.constantFrom(...nodes), fc.constantFrom(...nodes)), { maxLength: 12 });
    fc.assert(
      fc.property(edgeArb, (pairs) => {
        const edges = new Map<string, string[]>();
        for (const [s, d] of pairs) edges.set(s, [...(edges.get(s) ?? []), d]);
        const c = findCycle(edges, nodes);
        // Brute force: is there a cycle? (a node reaching itself)
        const reach = (from: string): Set<string> => {
          const seen = new Set<string>();
          const stack = [...(edges.get(from) ?? [])];
          while (stack.length) {
            const n = stack.pop()!;
            if (seen.has(n)) continue;
            seen.add(n);
            stack.push(...(edges.get(n) ?? []));
          }
          return seen;
        };
        const cyclic = nodes.some((n) => reach(n).has(n));
        expect(c !== null).toBe(cyclic);
        if (c) {
          expect(c[0]).toBe(c[c.length - 1]);
          for (let i = 0; i + 1 < c.length; i++) expect(edges.get(c[i]) ?? []).toContain(c[i + 1]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
