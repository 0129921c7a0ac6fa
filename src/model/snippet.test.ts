import { describe, expect, it } from 'vitest';
import { bestSnippet, HIT_CLOSE as C, HIT_OPEN as O } from './snippet.js';

const mark = (w: string) => `${O}${w}${C}`;

describe('bestSnippet', () => {
  it('brackets the matches and centres them in a window of words', () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
    words[20] = mark('zebra');
    expect(bestSnippet(['a title', words.join(' ')], 5)).toBe('…w18 w19 [zebra] w21 w22…');
    expect(bestSnippet([`${mark('Zebra')} crossing`, ''])).toBe('[Zebra] crossing');
  });

  it('prefers the window with the most distinct matches, and keeps phrases in one bracket', () => {
    const text = `${mark('cat')} x x x x x x x x x x ${mark('cat')} y ${mark('dog')} z. Then more text`;
    expect(bestSnippet([text], 6)).toBe('…x [cat] y [dog] z. Then…');
    expect(bestSnippet([`a ${mark('red fox')} b`], 4)).toBe('a [red fox] b');
  });

  it('a later column wins only with a better window; no text gives an empty snippet', () => {
    expect(bestSnippet(['plain title', `x ${mark('hit')} y`])).toBe('x [hit] y');
    expect(bestSnippet([`${mark('hit')}`, `${mark('hit')}`])).toBe('[hit]');
    expect(bestSnippet(['', ''])).toBe('');
  });

  it('is linear: 1 MiB of text that matches at every word takes well under a second, not minutes', () => {
    const big = `${mark('gamma')} beta `.repeat(Math.ceil((1 << 20) / 12));
    const t0 = performance.now();
    const s = bestSnippet(['title', big, '']);
    // Generous bound: the quadratic scorer took about 6 minutes here.
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(s).toContain('[gamma]');
  });
});
