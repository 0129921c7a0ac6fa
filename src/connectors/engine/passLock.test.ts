import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { withPassLock } from './passLock.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
const lockFile = () => {
  const d = mkdtempSync(join(tmpdir(), 'tack-lock-'));
  dirs.push(d);
  return join(d, 'sub', 'sync.lock');
};

describe('withPassLock', () => {
  it('runs holders one after the other and removes the lock', async () => {
    const lock = lockFile();
    const log: string[] = [];
    const job = (n: string) => async () => {
      log.push(`${n}+`);
      await new Promise((r) => setTimeout(r, 30));
      log.push(`${n}-`);
    };
    await Promise.all([withPassLock(lock, job('a')), withPassLock(lock, job('b'))]);
    expect(log).toHaveLength(4);
    expect([log[0][0], log[1][0]]).toEqual([log[0][0], log[0][0]]); // the first finished before the second started
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over the lock of a process that is gone', async () => {
    const lock = lockFile();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    }).stdout;
    await withPassLock(lock, async () => {}); // creates the directory
    writeFileSync(lock, dead);
    expect(await withPassLock(lock, async () => 'ran')).toBe('ran');
  });

  it('gives up with a conflict when a live process holds it too long', async () => {
    const lock = lockFile();
    await withPassLock(lock, async () => {});
    writeFileSync(lock, String(process.ppid));
    await expect(withPassLock(lock, async () => 'no', 300)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('never takes the lock from a live pass, however long it has run', async () => {
    const lock = lockFile();
    await withPassLock(lock, async () => {});
    writeFileSync(lock, `${process.ppid} abc123`);
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(lock, hourAgo, hourAgo); // past the writer lock's 30 s limit
    await expect(withPassLock(lock, async () => 'no', 300)).rejects.toMatchObject({
      code: 'conflict',
      details: { pid: process.ppid },
    });
  });
});
