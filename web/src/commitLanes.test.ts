import { describe, expect, it } from 'vitest';
import { commitLanes } from './commitLanes';

describe('commitLanes', () => {
  it('keeps a line in one lane', () => {
    const r = commitLanes([
      { sha: 'c', parents: ['b'] },
      { sha: 'b', parents: ['a'] },
      { sha: 'a', parents: [] },
    ]);
    expect(r.lane).toEqual([0, 0, 0]);
    expect(r.edges).toEqual([
      { from: { row: 0, lane: 0 }, to: { row: 1, lane: 0 }, via: 0 },
      { from: { row: 1, lane: 0 }, to: { row: 2, lane: 0 }, via: 0 },
    ]);
    expect(r.width).toBe(1);
  });

  it('draws a merge: the second parent gets its own lane, which joins again at the fork', () => {
    // m merges x (second parent) into b; x and b fork from a.
    const r = commitLanes([
      { sha: 'm', parents: ['b', 'x'] },
      { sha: 'x', parents: ['a'] },
      { sha: 'b', parents: ['a'] },
      { sha: 'a', parents: [] },
    ]);
    expect(r.lane).toEqual([0, 1, 0, 0]);
    expect(r.edges).toContainEqual({ from: { row: 0, lane: 0 }, to: { row: 1, lane: 1 }, via: 1 });
    expect(r.edges).toContainEqual({ from: { row: 1, lane: 1 }, to: { row: 3, lane: 0 }, via: 1 });
    expect(r.edges).toContainEqual({ from: { row: 2, lane: 0 }, to: { row: 3, lane: 0 }, via: 0 });
    expect(r.width).toBe(2);
  });
});
