import { describe, expect, it } from 'vitest';
import { ConnectorError, RateLimited, Transient } from '../connector.js';
import { KeyedQueue, withRetry } from './retry.js';

describe('withRetry', () => {
  it('waits what a rate limit asks, then succeeds', async () => {
    let calls = 0;
    const waits: number[] = [];
    const t0 = Date.now();
    const out = await withRetry(
      async () => {
        if (++calls < 3) throw new RateLimited(40);
        return 'ok';
      },
      { baseMs: 10, onRetry: (_e, ms) => waits.push(ms) },
    );
    expect(out).toBe('ok');
    expect(calls).toBe(3);
    for (const w of waits) expect(w).toBeGreaterThanOrEqual(40);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(80);
  });

  it('backs off on transient failures with jitter bounded by the exponential step', async () => {
    const waits: number[] = [];
    let calls = 0;
    await withRetry(
      async () => {
        if (++calls < 4) throw new Transient('503', 503);
      },
      { baseMs: 8, onRetry: (_e, ms, attempt) => waits.push(ms / (8 * 2 ** (attempt - 1))) },
    );
    expect(waits).toHaveLength(3);
    for (const w of waits) expect(w).toBeLessThanOrEqual(1);
  });

  it('gives up after the last attempt and never retries other errors', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Transient('down');
        },
        { attempts: 3, baseMs: 1 },
      ),
    ).rejects.toThrow('down');
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new ConnectorError('bad', 'refused');
        },
        { baseMs: 1 },
      ),
    ).rejects.toThrow('refused');
    expect(calls).toBe(1);
  });
});

describe('KeyedQueue', () => {
  it('runs work of one key one at a time, other keys alongside, and survives failures', async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    const job =
      (name: string, ms: number, fail = false) =>
      async () => {
        log.push(`${name}+`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${name}-`);
        if (fail) throw new Error(name);
      };
    const a1 = q.run('a', job('a1', 30, true));
    const a2 = q.run('a', job('a2', 5));
    const b1 = q.run('b', job('b1', 5));
    await expect(a1).rejects.toThrow('a1');
    await Promise.all([a2, b1]);
    expect(log.indexOf('a2+')).toBeGreaterThan(log.indexOf('a1-'));
    expect(log.indexOf('b1-')).toBeLessThan(log.indexOf('a1-'));
  });
});
