import { describe, expect, it } from 'vitest';
import { cutText } from './textCut.js';

describe('cutText', () => {
  it('keeps a text that fits, whole', () => {
    expect(cutText('abc\ndef', 7)).toEqual({ text: 'abc\ndef', shown: 7, cut: false });
  });

  it('cuts at the last line break that fits, and says where the rest starts', () => {
    const text = `${'a'.repeat(60)}\n${'b'.repeat(60)}\n${'c'.repeat(60)}`;
    const r = cutText(text, 130);
    expect(r).toEqual({ text: `${'a'.repeat(60)}\n${'b'.repeat(60)}`, shown: 121, cut: true });
    expect(text.slice(r.shown).startsWith('\nccc')).toBe(true);
  });

  it('counts bytes, not characters, and never splits a character', () => {
    const r = cutText('é'.repeat(100), 51);
    expect(r.cut).toBe(true);
    expect(Buffer.byteLength(r.text)).toBeLessThanOrEqual(51);
    expect(r.text).toBe('é'.repeat(25));
    const emoji = cutText('😀'.repeat(10), 10);
    expect(emoji.text).toBe('😀😀');
  });
});
