import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createContext } from './context.js';
import type { OpEffects } from './effects.js';

describe('createContext: warnings', () => {
  it('says each warning once, the first 20, and counts the rest (a store can name 100,000 missing tickets)', () => {
    const ctx = createContext({ cwd: tmpdir(), effects: {} as OpEffects });
    for (let i = 0; i < 100_000; i++)
      ctx.warn?.(`local:tk-${i} blocks "x:tk-${i}", which is in no store of the workspace`);
    ctx.warn?.('local:tk-0 blocks "x:tk-0", which is in no store of the workspace'); // said before: not again
    const said = ctx.problems();
    expect(said).toHaveLength(21);
    expect(said[0]).toBe('local:tk-0 blocks "x:tk-0", which is in no store of the workspace');
    expect(said[19]).toContain('tk-19 ');
    expect(said[20]).toBe('99,980 more warnings like these');
    const few = createContext({ cwd: tmpdir(), effects: {} as OpEffects });
    few.warn?.('one');
    few.warn?.('one');
    expect(few.problems()).toEqual(['one']);
  });
});
