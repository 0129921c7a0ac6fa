import { describe, expect, it } from 'vitest';
import type { Reservation } from '../model/reservation.js';
import { othersCovering, pathsNamedIn } from './reservationsShared.js';

const r = (pattern: string, owner: string): Reservation => ({
  pattern,
  owner,
  ticket: null,
  expires: '2099-01-01T00:00:00Z',
  reserved: '2026-01-01T00:00:00Z',
});

describe('othersCovering', () => {
  it("finds paths under others' reservations, never under mine", () => {
    const list = [r('src/parser', 'alice'), r('**/*.md', 'bob'), r('lib', 'me')];
    const out = othersCovering(list, ['src/parser/a.ts', 'docs/x.md', 'lib/y.ts', 'src/z.ts'], 'me');
    expect(out.conflicts.map((c) => [c.path, c.reservation.owner])).toEqual([
      ['src/parser/a.ts', 'alice'],
      ['docs/x.md', 'bob'],
    ]);
    expect(out.checked).toBe(4);
  });

  it('stops when its time is up and says how far it got', () => {
    const list = Array.from({ length: 500 }, (_, i) => r(`**/n${i}*`, 'alice'));
    const paths = Array.from({ length: 5000 }, (_, i) => `d/n${i}.ts`);
    const out = othersCovering(list, paths, 'me', 0);
    expect(out.checked).toBeLessThan(paths.length);
  });
});

describe('pathsNamedIn', () => {
  it('takes backticked paths and leaves code and hostile text', () => {
    expect(pathsNamedIn('Fix `src/lex.ts` and `README.md`, not `npm test` or `../../etc/passwd`')).toEqual([
      'src/lex.ts',
      'README.md',
    ]);
  });
});
