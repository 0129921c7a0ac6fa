import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitRaw } from './run.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

describe('gitRaw', () => {
  it("reports git's own failure when git exits before reading its input, not a missing git", () => {
    const bin = mkdtempSync(join(tmpdir(), 'tack-run-'));
    dirs.push(bin);
    // A git that fails at once, leaving its input unread (the pipe breaks under a large input).
    writeFileSync(join(bin, 'git'), "#!/bin/sh\necho 'fatal: out of space' >&2\nexit 128\n");
    chmodSync(join(bin, 'git'), 0o755);
    let thrown: unknown;
    try {
      gitRaw(['index-pack', '--stdin'], {
        cwd: bin,
        input: Buffer.alloc(8 * 1024 * 1024),
        env: { PATH: `${bin}:${process.env.PATH}` },
      });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ code: 'git_failed' });
    expect((thrown as Error).message).toMatch(/git index-pack failed \(exit 128\): fatal: out of space/);
  });
});
