import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireWriterLock, takeoverMarker } from './writerLock.js';

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
