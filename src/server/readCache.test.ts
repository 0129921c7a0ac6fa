import { describe, expect, it } from 'vitest';
import { ReadCache } from './readCache.js';

const answer = (chars: number) => ({ json: 'x'.repeat(chars) });

describe('ReadCache', () => {
  it('keeps answers until the index changes', () => {
    const c = new ReadCache();
    // As the server asks: a lookup first (which learns the generation), then the answer.
    expect(c.get('g1', 'a')).toBeUndefined();
    c.set('g1', 'a', answer(10));
    expect(c.get('g1', 'a')?.json).toHaveLength(10);
    expect(c.get('g2', 'a')).toBeUndefined();
    c.set('g1', 'a', answer(10)); // of the old generation: not kept
    expect(c.get('g2', 'a')).toBeUndefined();
  });

  it('holds at most its entries and its characters, the oldest going first', () => {
    const c = new ReadCache(3, 1_000);
    c.get('g', '');
    for (const k of ['a', 'b', 'c', 'd']) c.set('g', k, answer(10));
    expect(['a', 'b', 'c', 'd'].map((k) => !!c.get('g', k))).toEqual([false, true, true, true]);
    const big = new ReadCache(500, 1_000);
    big.get('g', '');
    // Asked again and again with another offset: never more than its characters.
    for (let i = 0; i < 1_000; i++) big.set('g', `offset=${i}`, answer(90));
    const kept = Array.from({ length: 1_000 }, (_, i) => big.get('g', `offset=${i}`)).filter(Boolean);
    expect(kept.length).toBe(11); // 11 × 90 ≤ 1,000
    expect(kept.reduce((n, a) => n + a!.json.length, 0)).toBeLessThanOrEqual(1_000);
    // The same key again replaces its answer, counted once.
    for (let i = 0; i < 50; i++) big.set('g', 'same', answer(90));
    expect(big.get('g', 'same')).toBeDefined();
  });

  it('does not keep an answer larger than a quarter of what it may hold (a whole large store)', () => {
    const c = new ReadCache(500, 1_000);
    c.get('g', '');
    c.set('g', 'whole', answer(251));
    expect(c.get('g', 'whole')).toBeUndefined();
    c.set('g', 'page', answer(250));
    expect(c.get('g', 'page')).toBeDefined();
  });
});
