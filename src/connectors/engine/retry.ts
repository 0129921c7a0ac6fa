import { RateLimited, Transient } from '../connector.js';
import { sleep } from '../../model/sleep.js';

export interface RetryOptions {
  attempts?: number;
  /** First backoff step for transient failures; doubles each attempt (full jitter). */
  baseMs?: number;
  maxMs?: number;
  /** Called before each wait (progress, logs). */
  onRetry?: (e: Error, waitMs: number, attempt: number) => void;
}

/**
 * Run a remote call, retrying what the contract marks retryable: a RateLimited error waits
 * what the service asked (plus a little jitter, so clones do not return in lockstep), a
 * Transient one backs off exponentially with full jitter. Anything else is thrown at once.
 */
export async function withRetry<T>(fn: () => Promise<T>, o: RetryOptions = {}): Promise<T> {
  const attempts = o.attempts ?? Number(process.env.TACK_SYNC_RETRIES ?? 6);
  const base = o.baseMs ?? Number(process.env.TACK_SYNC_BACKOFF_MS ?? 250);
  const max = o.maxMs ?? 30_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof RateLimited || e instanceof Transient) || attempt >= attempts) throw e;
      const wait =
        e instanceof RateLimited
          ? Math.min(max, e.retryAfterMs + Math.random() * base)
          : Math.random() * Math.min(max, base * 2 ** (attempt - 1));
      o.onRetry?.(e, wait, attempt);
      await sleep(wait);
    }
  }
}

/**
 * Serializes work per key (a ticket, a connection): a webhook and the poller touching
 * the same ticket run one after the other, never interleaved.
 */
export class KeyedQueue {
  private tails = new Map<string, Promise<unknown>>();
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
