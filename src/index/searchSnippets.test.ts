import { describe, expect, it } from 'vitest';
import { snippets } from './searchSnippets.js';

describe('search snippets', () => {
  it('brackets the best matches of each hit, from any column', () => {
    const out = snippets(
      [
        ['Zebra crossing', 'nothing here', ''],
        ['Plain', 'a long body where the zebra hides', 'and a zebra comment'],
        // Porter stemming as in the index: "crossings" matches "crossing".
        ['Nothing', 'two crossings', ''],
      ],
      '"zebra"* OR "crossing"',
    );
    expect(out[0]).toBe('[Zebra] [crossing]');
    expect(out[1]).toMatch(/\[zebra\]/);
    expect(out[2]).toBe('two [crossings]');
    expect(snippets([], '"x"')).toEqual([]);
  });

  it('keeps a column that does not match as it is, and a long title without a match gives its words', () => {
    const long = `${'word '.repeat(3000)}end`;
    const [a, b] = snippets(
      [
        ['Title only', '', ''],
        [long, 'the zebra body', ''],
      ],
      '"zebra"',
    );
    expect(a).toBe('Title only');
    expect(b).toMatch(/\[zebra\] body/);
  });

  it('is linear: a 1 MiB ticket that matches at every fourth word takes seconds at most, not minutes', () => {
    const big = 'alpha beta gamma delta '.repeat(Math.ceil((1 << 20) / 23));
    const t0 = performance.now();
    const [s] = snippets([['big', big, big]], '"gamma"*');
    // Generous bound against a hang: FTS5's snippet() took about 6 minutes on this.
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(s).toContain('[gamma]');
  });
});
