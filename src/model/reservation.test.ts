import { describe, expect, it } from 'vitest';
import {
  formatReservationsMessage,
  normalizePattern,
  parseReservationsMessage,
  patternCovers,
  patternsOverlap,
} from './reservation.js';

describe('reservation patterns', () => {
  it('spells a path one way: no ./, no trailing /', () => {
    expect(normalizePattern('./src/parser/')).toBe('src/parser');
    expect(normalizePattern('docs/*.md')).toBe('docs/*.md');
    expect(() => normalizePattern('src/./x')).toThrow(/"\."/);
    expect(() => normalizePattern('a/b/..')).toThrow(/\.\./);
  });

  it('a path covers itself and what is below it; a glob covers what it matches and inside', () => {
    expect(patternCovers('src/parser', 'src/parser/lex.ts')).toBe(true);
    expect(patternCovers('src/parser', 'src/parser2/lex.ts')).toBe(false);
    expect(patternCovers('src/*', 'src/a/b.ts')).toBe(true);
    expect(patternCovers('src/*.ts', 'src/a.md')).toBe(false);
    expect(patternCovers('**/*.md', 'docs/a/b.md')).toBe(true);
  });

  it('overlap: exact for paths, by sample for globs', () => {
    expect(patternsOverlap('src', 'src/a.ts')).toBe(true);
    expect(patternsOverlap('src/a.ts', 'src/b.ts')).toBe(false);
    expect(patternsOverlap('docs/*.md', 'docs/x.md')).toBe(true);
    expect(patternsOverlap('docs/*.md', 'docs')).toBe(true);
    expect(patternsOverlap('src/**/*.ts', 'src/{a,b}/x.ts')).toBe(true);
    expect(patternsOverlap('src/*.ts', 'lib/*.ts')).toBe(false);
  });

  it('round-trips through the lease message and skips what it cannot believe', () => {
    const r = {
      pattern: 'src',
      owner: 'a',
      ticket: null,
      expires: '2026-01-01T00:00:00Z',
      reserved: '2025-12-31T00:00:00Z',
    };
    const msg = formatReservationsMessage([r], 'reserve src');
    expect(parseReservationsMessage(msg)).toEqual([r]);
    expect(parseReservationsMessage(`${msg}{"pattern":"/etc","owner":"m","expires":"x"}\n{not json\n`)).toEqual([r]);
  });
});
