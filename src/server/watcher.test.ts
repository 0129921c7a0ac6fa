import { afterEach, describe, expect, it, vi } from 'vitest';
import { liveHandlers } from './watcher.js';

describe('liveHandlers', () => {
  afterEach(() => vi.restoreAllMocks());

  it('turns a failed check into one line on stderr, never an unhandled rejection (which ends the process)', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      written.push(String(s));
      return true;
    });
    let touched = 0;
    let delivered = 0;
    const h = liveHandlers(
      { check: () => Promise.reject(new Error('database is not open')) },
      { touch: () => touched++ },
      () => delivered++,
    );
    h.onRef?.();
    h.onFile?.('tickets/x.md');
    h.onTick?.();
    await new Promise((r) => setTimeout(r, 20));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
    expect(written).toEqual(Array(3).fill("tack: could not read the store's changes: database is not open\n"));
    expect([touched, delivered]).toEqual([1, 2]);
  });
});
