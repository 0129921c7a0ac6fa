import { chmodSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitIntoFile, gitRaw, type BackgroundGit } from './run.js';

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

describe('gitIntoFile', () => {
  /** A git first on PATH that runs `script`, and the files gitIntoFile reads and writes. */
  function fakeGit(script: string): { into: { cwd: string; inputPath: string; path: string }; restore: () => void } {
    const bin = mkdtempSync(join(tmpdir(), 'tack-into-'));
    dirs.push(bin);
    writeFileSync(join(bin, 'git'), `#!/bin/sh\n${script}\n`);
    chmodSync(join(bin, 'git'), 0o755);
    writeFileSync(join(bin, 'in'), 'input\n');
    closeSync(openSync(join(bin, 'out'), 'w'));
    const saved = process.env.PATH;
    process.env.PATH = `${bin}:${saved}`;
    return {
      into: { cwd: bin, inputPath: join(bin, 'in'), path: join(bin, 'out') },
      restore: () => (process.env.PATH = saved),
    };
  }

  function waitEnd(g: BackgroundGit, ms: number): boolean {
    const end = Date.now() + ms;
    while (!g.finished() && Date.now() < end) g.wait(10);
    return g.finished();
  }

  it('runs git while this thread goes on: its output is there before it ends, and its end is seen without the event loop', () => {
    // Its first line at once, its last once this thread has read the first and seen git still
    // running (or after 20 s: a git run to its end first fails the test, and ends).
    const { into, restore } = fakeGit(
      'cat; i=0; while [ ! -f go ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; echo last',
    );
    let g: BackgroundGit;
    try {
      g = gitIntoFile(['cat-file', '--batch'], into);
    } finally {
      restore();
    }
    const end = Date.now() + 20_000;
    while (readFileSync(into.path, 'utf8') === '' && Date.now() < end) g.wait(10);
    expect(readFileSync(into.path, 'utf8')).toBe('input\n');
    expect(g.finished()).toBe(false);
    writeFileSync(join(into.cwd, 'go'), '');
    expect(waitEnd(g, 20_000)).toBe(true);
    expect(readFileSync(into.path, 'utf8')).toBe('input\nlast\n');
  });

  it('a git that cannot start has ended with no output; stop() ends one that is running', () => {
    const { into, restore } = fakeGit('exec sleep 60');
    let none: BackgroundGit;
    let running: BackgroundGit;
    try {
      none = gitIntoFile(['cat-file', '--batch'], { ...into, cwd: join(into.cwd, 'no-such-dir') });
      running = gitIntoFile(['cat-file', '--batch'], into);
    } finally {
      restore();
    }
    expect(waitEnd(none, 20_000)).toBe(true);
    expect(readFileSync(into.path, 'utf8')).toBe('');
    expect(running.finished()).toBe(false);
    running.stop();
    expect(waitEnd(running, 20_000)).toBe(true);
  });
});
