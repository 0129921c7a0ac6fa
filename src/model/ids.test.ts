import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isTackError } from './errors.js';
import {
  idResolver,
  isTicketId,
  MIN_SHOWN,
  newId,
  randomBase36,
  resolveFromCandidates,
  shortenAgainst,
  shortIds,
} from './ids.js';

function thrown(fn: () => unknown): { code: string; message: string; details?: Record<string, unknown> } {
  try {
    fn();
  } catch (e) {
    if (!isTackError(e)) throw e;
    return { code: e.code, message: e.message, details: e.details };
  }
  throw new Error('expected a TackError, nothing was thrown');
}

describe('newId', () => {
  it('is <prefix>-<8 base36 characters>, and random', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const id = newId('tk', () => false);
      expect(id).toMatch(/^tk-[0-9a-z]{8}$/);
      expect(isTicketId(id)).toBe(true);
      seen.add(id);
    }
    expect(seen.size).toBe(500);
  });

  it('uses the given prefix', () => {
    expect(newId('proj7', () => false)).toMatch(/^proj7-[0-9a-z]{8}$/);
  });

  it('skips candidates that already exist', () => {
    const rejected: string[] = [];
    const id = newId('tk', (c) => {
      if (rejected.length < 3) {
        rejected.push(c);
        return true;
      }
      return false;
    });
    expect(rejected).toHaveLength(3);
    expect(rejected).not.toContain(id);
  });

  it('gives up with a typed error when every candidate is taken', () => {
    const e = thrown(() => newId('tk', () => true));
    expect(e.code).toBe('internal');
  });

  it('randomBase36 uses every character of the alphabet', () => {
    const chars = new Set(randomBase36(5000));
    expect(chars.size).toBe(36);
  });
});

describe('shortIds', () => {
  it('shows at least MIN_SHOWN characters of the random part', () => {
    const m = shortIds(['tk-abcdefgh']);
    expect(m.get('tk-abcdefgh')).toBe('tk-abcd');
    expect(MIN_SHOWN).toBe(4);
  });

  it('grows past a shared prefix with a neighbour', () => {
    const ids = ['tk-abcd1234', 'tk-abcd5678', 'tk-abce0000', 'tk-zzzz0000'];
    const m = shortIds(ids);
    expect(m.get('tk-abcd1234')).toBe('tk-abcd1');
    expect(m.get('tk-abcd5678')).toBe('tk-abcd5');
    expect(m.get('tk-abce0000')).toBe('tk-abce');
    expect(m.get('tk-zzzz0000')).toBe('tk-zzzz');
  });

  it('property: every short id is a unique prefix of at least 4 random characters', () => {
    const idArb = fc
      .string({ unit: fc.constantFrom(...'0123abc'.split('')), minLength: 8, maxLength: 8 })
      .map((s) => `tk-${s}`);
    fc.assert(
      fc.property(fc.uniqueArray(idArb, { minLength: 1, maxLength: 60 }), (raw) => {
        const ids = [...raw].sort();
        const m = shortIds(ids);
        const shorts = ids.map((id) => m.get(id)!);
        for (let i = 0; i < ids.length; i++) {
          expect(ids[i].startsWith(shorts[i])).toBe(true);
          expect(shorts[i].length).toBeGreaterThanOrEqual('tk-'.length + MIN_SHOWN);
          // unique: the short form is a prefix of exactly one id
          expect(ids.filter((x) => x.startsWith(shorts[i]))).toEqual([ids[i]]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('shortenAgainst ignores undefined neighbours and itself', () => {
    expect(shortenAgainst('tk-abcdefgh', [undefined, 'tk-abcdefgh'])).toBe('tk-abcd');
    expect(shortenAgainst('tk-abcdefgh', ['tk-abcdefgz', undefined])).toBe('tk-abcdefgh');
  });
});

describe('resolveFromCandidates', () => {
  it('an exact match wins even when it is also a prefix of others', () => {
    expect(resolveFromCandidates('tk-abc', ['tk-abc', 'tk-abcd', 'tk-abce'])).toBe('tk-abc');
  });

  it('a unique prefix resolves to its id', () => {
    expect(resolveFromCandidates('tk-ab', ['tk-abcd1234'])).toBe('tk-abcd1234');
  });

  it('an ambiguous prefix lists the candidates with code ambiguous_id', () => {
    const e = thrown(() => resolveFromCandidates('tk-a', ['tk-a1111111', 'tk-a2222222']));
    expect(e.code).toBe('ambiguous_id');
    expect(e.message).toContain('tk-a1111111');
    expect(e.message).toContain('tk-a2222222');
    expect(e.message).toContain('"tk-a"');
    expect(e.details?.candidates).toEqual(['tk-a1111111', 'tk-a2222222']);
  });

  it('an ambiguous prefix with many candidates shows at most ten, and says there are more', () => {
    const many = Array.from({ length: 12 }, (_, i) => `tk-a${String(i).padStart(7, '0')}`);
    const e = thrown(() => resolveFromCandidates('tk-a', many));
    expect(e.code).toBe('ambiguous_id');
    expect(e.message).toContain('12 tickets');
    expect(e.message).toContain(many[9]);
    expect(e.message).not.toContain(many[10]);
    expect(e.message).toContain('…');
  });

  it('no candidate is not_found and names the input', () => {
    const e = thrown(() => resolveFromCandidates('tk-zzzz', []));
    expect(e.code).toBe('not_found');
    expect(e.message).toContain('"tk-zzzz"');
  });
});

describe('idResolver', () => {
  it('resolves an id, or a prefix of exactly one id; not a prefix of several, nor a pattern', () => {
    const resolve = idResolver(['tk-abc', 'tk-abcd', 'tk-b12', 'tk-b12', 'tk-c_x']);
    expect(resolve('tk-abc')).toBe('tk-abc'); // an id wins over the longer ids it is a prefix of
    expect(resolve('tk-abcd')).toBe('tk-abcd');
    expect(resolve('tk-ab')).toBeNull(); // two ids
    expect(resolve('tk-b1')).toBe('tk-b12'); // one id, listed twice (a duplicate file)
    expect(resolve('tk-c_')).toBe('tk-c_x');
    expect(resolve('tk-_')).toBeNull(); // no wildcards
    expect(resolve('TK-B1')).toBeNull(); // case for case
    expect(resolve('tk-zzz')).toBeNull();
    expect(resolve('')).toBeNull();
    expect(idResolver([])('tk-a')).toBeNull();
  });

  it('property: answers as a scan of every id would', () => {
    const id = fc.stringMatching(/^[a-c]{1,4}$/);
    fc.assert(
      fc.property(fc.array(id, { maxLength: 20 }), fc.array(id, { maxLength: 10 }), (ids, refs) => {
        const resolve = idResolver(ids);
        for (const ref of refs) {
          const hits = [...new Set(ids.filter((x) => x.startsWith(ref)))];
          const expected = ids.includes(ref) ? ref : hits.length === 1 ? hits[0] : null;
          expect(resolve(ref)).toBe(expected);
        }
      }),
      { numRuns: 300 },
    );
  });
});
