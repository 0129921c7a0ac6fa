import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchRefs } from './refExchange.js';
import { readRef } from './refs.js';
import { discoverRepo } from './repo.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' });

describe('fetchRefs', () => {
  it("leaves the repository's own maintenance to the user's git: a fetch starts no `git maintenance`", () => {
    const root = mkdtempSync(join(tmpdir(), 'tack-fetch-'));
    dirs.push(root);
    const remote = join(root, 'remote');
    git(root, 'init', '-q', '-b', 'tack', remote);
    git(remote, 'commit', '-q', '--allow-empty', '-m', 'one');
    const clone = join(root, 'clone');
    git(root, 'init', '-q', clone);
    git(clone, 'remote', 'add', 'origin', remote);
    // Due at every command: git would start `maintenance run --auto` after the fetch.
    git(clone, 'config', 'gc.auto', '1');
    const trace = join(root, 'trace');
    const saved = process.env.GIT_TRACE;
    process.env.GIT_TRACE = trace;
    try {
      fetchRefs(discoverRepo(clone), 'origin', [{ src: 'refs/heads/tack', dst: 'refs/remotes/origin/tack' }]);
    } finally {
      if (saved === undefined) delete process.env.GIT_TRACE;
      else process.env.GIT_TRACE = saved;
    }
    expect(readRef(discoverRepo(clone), 'refs/remotes/origin/tack')).toBe(git(remote, 'rev-parse', 'tack').trim());
    const ran = readFileSync(trace, 'utf8');
    expect(ran).toMatch(/built-in: git fetch/);
    expect(ran).not.toMatch(/(run_command|built-in): git (maintenance|gc)\b/);
  });
});
