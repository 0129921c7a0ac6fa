import { describe, expect, it } from 'vitest';
import { snippets } from './searchSnippets.js';

describe('search snippets', () => {
  it('brackets the best matches of each hit, from any column', () => {
    const raw = (...t: string[]) => t.map((x) => ({ marked: null, raw: x }));
    const out = snippets(
      [
        raw('Zebra crossing', 'nothing here', ''),
        raw('Plain', 'a long body where the zebra hides', 'and a zebra comment'),
      ],
      '"zebra"*',
    );
    expect(out[0]).toBe('[Zebra] crossing');
    expect(out[1]).toMatch(/\[zebra\]/);
    expect(snippets([[{ marked: '\uE000Short\uE001 title', raw: null }]], '"short"')).toEqual(['[Short] title']);
    expect(snippets([], '"x"')).toEqual([]);
  });

  it('is linear: a 1 MiB ticket that matches at every fourth word takes seconds at most, not minutes', () => {
    const big = 'alpha beta gamma delta '.repeat(Math.ceil((1 << 20) / 23));
    const t0 = performance.now();
    const [s] = snippets(
      [
        [
          { marked: 'big', raw: null },
          { marked: null, raw: big },
          { marked: null, raw: big },
        ],
      ],
      '"gamma"*',
    );
    // Generous bound against a hang: FTS5's snippet() took about 6 minutes on this.
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(s).toContain('[gamma]');
  });
});
