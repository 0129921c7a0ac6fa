import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { acquireWriterLock, acquireWriterLockAsync, heldByThisProcess, takeoverMarker, tryLock } from './lockFile.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function deadLock(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tack-lock-'));
  dirs.push(dir);
  const lock = join(dir, 'write.lock');
  writeFileSync(lock, String(spawnSync(process.execPath, ['-e', '0']).pid));
  return lock;
}

describe('acquireWriterLock', () => {
  it("takes over a dead owner's lock and releases only its own", () => {
    const lock = deadLock();
    const release = acquireWriterLock(lock, 0);
    expect(release).not.toBeNull();
    expect(readFileSync(lock, 'utf8')).toMatch(new RegExp(`^${process.pid} [0-9a-f]{12}$`));
    writeFileSync(lock, 'someone else');
    release!();
    expect(readFileSync(lock, 'utf8')).toBe('someone else');
  });

  it('does not take a dead lock another process is taking over right now', () => {
    const lock = deadLock();
    const before = readFileSync(lock, 'utf8');
    const marker = takeoverMarker(lock)!;
    writeFileSync(marker, ''); // a rival's takeover in progress
    expect(acquireWriterLock(lock, 0)).toBeNull();
    expect(readFileSync(lock, 'utf8')).toBe(before);
    rmSync(marker);
    const release = acquireWriterLock(lock, 0);
    expect(release).not.toBeNull();
    release!();
    expect(existsSync(lock)).toBe(false);
  });

  it("leaves a live owner's lock alone", () => {
    const lock = deadLock();
    writeFileSync(lock, `${process.pid} abcdefabcdef`);
    expect(acquireWriterLock(lock, 0)).toBeNull();
    expect(readFileSync(lock, 'utf8')).toBe(`${process.pid} abcdefabcdef`);
  });
});

function freshLock(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tack-lock-'));
  dirs.push(dir);
  return join(dir, 'write.lock');
}

/** Stands for another process holding the lock: a live pid (the parent of this one) in the file. */
function heldElsewhere(lock: string): () => void {
  writeFileSync(lock, `${process.ppid} 000000000000`);
  return () => rmSync(lock, { force: true });
}

describe('acquireWriterLockAsync', () => {
  it('waits for another process without holding the event loop, then takes the lock', async () => {
    const lock = freshLock();
    const free = heldElsewhere(lock);
    let ticks = 0;
    const waiting = acquireWriterLockAsync(lock, 60_000).then((r) => ({ r, ticksSeen: ticks }));
    // The loop goes on while the lock is held elsewhere: timers fire, then the holder leaves.
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 5));
      ticks++;
    }
    expect(heldByThisProcess(lock)).toBe(false);
    free();
    const { r, ticksSeen } = await waiting;
    expect(ticksSeen).toBe(5);
    expect(r).not.toBeNull();
    expect(readFileSync(lock, 'utf8')).toMatch(new RegExp(`^${process.pid} `));
    // The holder's own synchronous acquire (its commit) passes; the release is the turn's.
    expect(heldByThisProcess(lock)).toBe(true);
    const inner = acquireWriterLock(lock, 0);
    expect(inner).not.toBeNull();
    inner!();
    expect(existsSync(lock)).toBe(true);
    r!();
    expect(existsSync(lock)).toBe(false);
    expect(heldByThisProcess(lock)).toBe(false);
  });

  it("gives this process's waiters the lock one at a time, in order; an aborted waiter gives up its turn", async () => {
    const lock = freshLock();
    const order: string[] = [];
    const turn = async (name: string, signal?: AbortSignal) => {
      const release = await acquireWriterLockAsync(lock, 60_000, signal);
      order.push(`${name} in`);
      // Another process cannot take it meanwhile.
      expect(tryLock(lock)).toBeNull();
      await new Promise((r) => setTimeout(r, 2));
      order.push(`${name} out`);
      release!();
    };
    const stop = new AbortController();
    const free = heldElsewhere(lock);
    const all = Promise.allSettled([turn('a'), turn('b', stop.signal), turn('c')]);
    stop.abort(new Error('deadline'));
    await new Promise((r) => setTimeout(r, 5));
    free();
    const res = await all;
    expect(res.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(order).toEqual(['a in', 'a out', 'c in', 'c out']);
    expect(existsSync(lock)).toBe(false);
  });

  it('answers null when another process keeps the lock past the wait', async () => {
    const lock = freshLock();
    const free = heldElsewhere(lock);
    expect(await acquireWriterLockAsync(lock, 20)).toBeNull();
    expect(heldByThisProcess(lock)).toBe(false);
    free();
    const r = await acquireWriterLockAsync(lock, 20);
    expect(r).not.toBeNull();
    r!();
  });

  it('waits no longer when the wall clock is set back meanwhile (NTP, a resumed VM)', { timeout: 60_000 }, async () => {
    const lock = freshLock();
    const free = heldElsewhere(lock);
    const real = Date.now.bind(Date);
    // 20 s back from the second reading on: a deadline computed on the wall clock is then
    // 20 s away for the whole wait (a wait that does so fails the bound below, not hangs).
    let readings = 0;
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => real() - (readings++ > 0 ? 20_000 : 0));
    try {
      const t0 = performance.now();
      expect(acquireWriterLock(lock, 100)).toBeNull();
      readings = 0;
      expect(await acquireWriterLockAsync(lock, 100)).toBeNull();
      expect(performance.now() - t0).toBeLessThan(5000);
    } finally {
      clock.mockRestore();
      free();
    }
  });
});
