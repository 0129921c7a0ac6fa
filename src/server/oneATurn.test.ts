import { describe, expect, it } from 'vitest';
import { OneATurn } from './oneATurn.js';

const turns = (n: number) =>
  new Promise<void>((resolve) => {
    const step = (left: number) => (left === 0 ? resolve() : setImmediate(() => step(left - 1)));
    step(n);
  });

describe('OneATurn', () => {
  it('runs what it is given in order, one per turn of the event loop', async () => {
    const seen: string[] = [];
    const one = new OneATurn();
    for (const name of ['a', 'b', 'c']) one.run(() => seen.push(name));
    // Queued after the first: runs in the same turn as `a`, before `b` (the next turn).
    setImmediate(() => seen.push('other work'));
    await turns(5);
    expect(seen).toEqual(['a', 'other work', 'b', 'c']);
  });

  it('what a function adds while it runs comes after the rest, each once', async () => {
    const seen: string[] = [];
    const one = new OneATurn();
    one.run(() => {
      seen.push('a');
      one.run(() => seen.push('added by a'));
    });
    one.run(() => seen.push('b'));
    await turns(6);
    expect(seen).toEqual(['a', 'b', 'added by a']);
  });

  it('one that throws does not stop the rest', async () => {
    const seen: string[] = [];
    const one = new OneATurn();
    const uncaught: unknown[] = [];
    const onError = (e: unknown) => uncaught.push(e);
    process.prependListener('uncaughtException', onError);
    try {
      one.run(() => {
        throw new Error('boom');
      });
      one.run(() => seen.push('after'));
      await turns(4);
    } finally {
      process.removeListener('uncaughtException', onError);
    }
    expect(seen).toEqual(['after']);
  });
});
