import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isatty } from 'node:tty';
import { describe, expect, it } from 'vitest';
import { isTerminal } from './output.js';

describe('isTerminal', () => {
  it('says no for /dev/null, a file and a closed descriptor, as isatty does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tack-tty-'));
    const fds = [openSync('/dev/null', 'w'), openSync(join(dir, 'f'), 'w')];
    try {
      for (const fd of fds) {
        expect(isTerminal(fd)).toBe(false);
        expect(isatty(fd)).toBe(false);
      }
      closeSync(fds[1]);
      expect(isTerminal(fds[1])).toBe(false);
    } finally {
      closeSync(fds[0]);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('agrees with isatty on the standard descriptors', () => {
    for (const fd of [0, 1, 2]) expect(isTerminal(fd)).toBe(isatty(fd));
  });
});
