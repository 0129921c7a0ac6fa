import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, revParse, sh, tack, tackJson, tempRepo, testEnv, trackCleanups } from './helpers.js';

/*
 * Branch mode never touches what is not Tack's: HEAD, the user's index (staged work),
 * the working tree, untracked files. Git hooks and commit signing do not get in the way.
 */

const track = trackCleanups();

/** Git without opportunistic index refreshes, so reading state does not change it. */
function g(dir: string, ...args: string[]): string {
  return sh(dir, 'git', args, { GIT_OPTIONAL_LOCKS: '0' });
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** A repo with committed files, then a staged change, an unstaged change, a staged new file and an untracked file. */
function dirtyRepo(): string {
  const r = tempRepo();
  track(r.cleanup);
  const dir = r.dir;
  writeFileSync(join(dir, 'staged.txt'), 'one\n');
  writeFileSync(join(dir, 'unstaged.txt'), 'two\n');
  writeFileSync(join(dir, 'both.txt'), 'three\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'files');
  writeFileSync(join(dir, 'staged.txt'), 'one, changed and staged\n');
  writeFileSync(join(dir, 'new-staged.txt'), 'brand new\n');
  git(dir, 'add', 'staged.txt', 'new-staged.txt');
  writeFileSync(join(dir, 'unstaged.txt'), 'two, changed but not staged\n');
  writeFileSync(join(dir, 'both.txt'), 'three, staged version\n');
  git(dir, 'add', 'both.txt');
  writeFileSync(join(dir, 'both.txt'), 'three, worktree version\n');
  writeFileSync(join(dir, 'untracked.txt'), 'not tracked\n');
  return dir;
}

function userState(dir: string) {
  return {
    head: revParse(dir, 'HEAD'),
    symbolic: g(dir, 'symbolic-ref', 'HEAD').trim(),
    cached: g(dir, 'diff', '--cached'),
    unstaged: g(dir, 'diff'),
    status: g(dir, 'status', '--porcelain=v1', '--untracked-files=all'),
    stash: g(dir, 'stash', 'list'),
    files: Object.fromEntries(
      ['staged.txt', 'unstaged.txt', 'both.txt', 'new-staged.txt', 'untracked.txt'].map((f) => [
        f,
        readFileSync(join(dir, f), 'utf8'),
      ]),
    ),
    main: revParse(dir, 'refs/heads/main'),
  };
}

describe('branch mode', () => {
  it('leaves HEAD, the index and the working tree exactly as they were', () => {
    const dir = dirtyRepo();
    const before = userState(dir);
    expect(before.status).toContain('M  staged.txt');
    expect(before.status).toContain(' M unstaged.txt');
    expect(before.status).toContain('MM both.txt');
    expect(before.status).toContain('A  new-staged.txt');
    expect(before.status).toContain('?? untracked.txt');
    const index = sha256(join(dir, '.git', 'index'));

    tack(dir, 'init');
    const a = tackJson(dir, 'create', 'First', '-l', 'x').id;
    const b = tackJson(dir, 'create', 'Second', '--blocks', a).id;
    tack(dir, 'update', a, '--status', 'in-progress', '--assignee', 'bob');
    tack(dir, 'comment', b, 'a comment');
    tack(dir, 'label', 'add', b, 'y');
    tack(dir, 'close', b, '--reason', 'done');
    tack(dir, 'list');

    // bytes first: nothing may have rewritten the index
    expect(sha256(join(dir, '.git', 'index'))).toBe(index);
    expect(userState(dir)).toEqual(before);
    expect(existsSync(join(dir, 'tickets'))).toBe(false);
    expect(existsSync(join(dir, '.tack'))).toBe(false);
    // the writes went to the tack branch, one commit each (init + 6)
    expect(g(dir, 'rev-list', '--count', 'tack').trim()).toBe('7');
    expect(g(dir, 'ls-tree', '-r', '--name-only', 'HEAD').split('\n').filter(Boolean).sort()).toEqual([
      'both.txt',
      'staged.txt',
      'unstaged.txt',
    ]);
    // the tack branch shares no history with the code
    expect(spawnSync('git', ['merge-base', 'tack', 'HEAD'], { cwd: dir, env: testEnv() }).status).toBe(1);
  });
});

describe('hooks and commit signing', () => {
  it('failing hooks and a hanging gpg.program do not affect writes', () => {
    const r = tempRepo();
    track(r.cleanup);
    const dir = r.dir;
    const marker = join(dir, 'hook-ran');
    for (const hook of ['pre-commit', 'commit-msg', 'prepare-commit-msg', 'post-commit']) {
      const p = join(dir, '.git', 'hooks', hook);
      writeFileSync(p, `#!/bin/sh\necho ${hook} >> "${marker}"\nexit 1\n`);
      chmodSync(p, 0o755);
    }
    const gpg = join(dir, '.git', 'slow-gpg.sh');
    writeFileSync(gpg, '#!/bin/sh\nsleep 30\nexit 1\n');
    chmodSync(gpg, 0o755);
    git(dir, 'config', 'commit.gpgsign', 'true');
    git(dir, 'config', 'gpg.program', gpg);
    git(dir, 'config', 'user.signingkey', 'DEADBEEF');

    const start = Date.now();
    tack(dir, 'init');
    const id = tackJson(dir, 'create', 'Signed?').id;
    tack(dir, 'update', id, '--priority', 'high');
    tack(dir, 'comment', id, 'hello');
    const elapsed = Date.now() - start;

    expect(elapsed).toBeLessThan(20_000);
    expect(git(dir, 'rev-list', '--count', 'tack')).toBe('4');
    expect(git(dir, 'cat-file', '-p', 'tack')).not.toContain('gpgsig');
    expect(tackJson(dir, 'show', id).priority).toBe('high');
    // commit hooks are for the user's commits; Tack's plumbing does not run them
    const ran = existsSync(marker) ? readFileSync(marker, 'utf8') : '';
    expect(ran).not.toMatch(/pre-commit|commit-msg|post-commit/);
  });
});
