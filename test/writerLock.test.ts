import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * Taking over a stale writer lock is atomic: processes racing for a lock whose owner died
 * never both get it (the old rename-then-take could remove a lock just taken by another).
 */

const dir = mkdtempSync(join(tmpdir(), 'tack-writerlock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bundle = join(dir, 'writerLock.cjs');
buildSync({
  entryPoints: [resolve(__dirname, '..', process.env.WRITER_LOCK_SRC ?? 'src/store/lockFile.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: bundle,
  logLevel: 'silent',
});

// The children sleep (not spin) until the common start and while holding the lock: eight
// spinning processes per round cost 14 s of CPU that the rest of the suite waited for.
const child = `
const { acquireWriterLock } = require(${JSON.stringify(bundle)});
const [lock, startAt] = [process.argv[1], Number(process.argv[2])];
const sleep = (ms) => ms > 0 && Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
sleep(startAt - Date.now());
const release = acquireWriterLock(lock, 0);
if (release) {
  const from = Date.now();
  sleep(700);
  process.stdout.write(from + ' ' + Date.now());
  release();
}
`;

function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

/** How many processes held the lock, failing if two ever held it at the same time. */
function race(lock: string, n: number): Promise<number> {
  const startAt = Date.now() + 600;
  return Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<string>((res, rej) => {
          const p = spawn(process.execPath, ['-e', child, lock, String(startAt)]);
          let out = '';
          p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
          p.on('error', rej);
          p.on('close', () => res(out));
        }),
    ),
  ).then((outs) => {
    // Under load a child can start after the winner released: a second, later winner is
    // fine; two holders at once is what must never happen.
    const held = outs
      .filter(Boolean)
      .map((o) => o.split(' ').map(Number))
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < held.length; i++)
      expect(held[i][0], 'two processes held the lock at once').toBeGreaterThanOrEqual(held[i - 1][1]);
    return held.length;
  });
}

describe('stale writer lock takeover', () => {
  it.each([1, 2, 3, 4, 5, 6])(
    "round %i: of 8 processes racing for a dead owner's lock, never two at once",
    async (round) => {
      const lock = join(dir, `write-${round}.lock`);
      writeFileSync(lock, String(deadPid()));
      expect(await race(lock, 8)).toBeGreaterThanOrEqual(1);
      expect(existsSync(lock)).toBe(false); // the winner released it
    },
    30_000,
  );

  it('an empty lock left long ago is taken over, never by two at once', async () => {
    const lock = join(dir, 'write-empty.lock');
    writeFileSync(lock, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    expect(await race(lock, 8)).toBeGreaterThanOrEqual(1);
  }, 30_000);
});
