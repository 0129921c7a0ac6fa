import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, revParse, sh, tack, tackFail, tackJson, tackRaw, tempRepo, trackCleanups } from './helpers.js';

/*
 * Inline writes are all or nothing from the user's view: git's index lock is taken first,
 * so a held `index.lock` (an editor, a waiting `git commit`) refuses the write before it
 * commits, and a crash never leaves the branch and the index disagreeing.
 */

const track = trackCleanups();

function inlineStore(format?: 'sha256'): string {
  const r = tempRepo();
  track(r.cleanup);
  if (format) {
    sh(r.dir, 'rm', ['-rf', '.git']);
    git(r.dir, 'init', '-q', '-b', 'main', '--object-format=sha256');
    git(r.dir, 'config', 'user.name', 'Test User');
    git(r.dir, 'config', 'user.email', 'test@example.com');
    git(r.dir, 'commit', '-q', '--allow-empty', '-m', 'initial');
  }
  writeFileSync(join(r.dir, 'code.txt'), 'code\n');
  git(r.dir, 'add', 'code.txt');
  git(r.dir, 'commit', '-q', '-m', 'code');
  tack(r.dir, 'init', '--inline');
  return r.dir;
}

const status = (dir: string) => sh(dir, 'git', ['status', '--porcelain'], { GIT_OPTIONAL_LOCKS: '0' });

describe('inline writes and git index lock', () => {
  it('a held index.lock refuses the write before anything is committed', () => {
    const dir = inlineStore();
    writeFileSync(join(dir, 'code.txt'), 'edited\n');
    git(dir, 'add', 'code.txt');
    const head = revParse(dir, 'HEAD');
    const indexBefore = readFileSync(join(dir, '.git', 'index'));
    const lock = join(dir, '.git', 'index.lock');
    writeFileSync(lock, 'held by an editor');

    const f = tackFail(dir, 'create', 'Locked out');
    expect(f.error.code).toBe('conflict');
    expect(f.error.message).toMatch(/git's index is locked by another process: .*index\.lock.*retry when it finishes/);
    expect(f.error.details).toMatchObject({ reason: 'index_locked' });

    // Nothing changed: branch, index, lock (still the other process's), work tree.
    expect(revParse(dir, 'HEAD')).toBe(head);
    expect(readFileSync(join(dir, '.git', 'index')).equals(indexBefore)).toBe(true);
    expect(readFileSync(lock, 'utf8')).toBe('held by an editor');
    expect(tackJson(dir, 'list')).toEqual([]);

    sh(dir, 'rm', [lock]);
    expect(status(dir)).toBe('M  code.txt\n');
    // The user's next commit -a deletes nothing.
    git(dir, 'commit', '-qam', 'user');
    expect(git(dir, 'ls-tree', '-r', '--name-only', 'HEAD', '.tack/tickets')).toBe('.tack/tickets/.gitkeep');
  });

  it('after the lock is gone the write commits, stages and leaves no lock behind', () => {
    const dir = inlineStore();
    writeFileSync(join(dir, 'code.txt'), 'unstaged\n');
    const t = tackJson(dir, 'create', 'Works');
    expect(existsSync(join(dir, '.git', 'index.lock'))).toBe(false);
    expect(status(dir)).toBe(' M code.txt\n');
    expect(git(dir, 'show', `HEAD:.tack/tickets/${t.id}.md`)).toMatch(/title: Works/);
    git(dir, 'commit', '-qam', 'user');
    expect(git(dir, 'ls-tree', '--name-only', 'HEAD', `.tack/tickets/${t.id}.md`)).toBe(`.tack/tickets/${t.id}.md`);
  });

  it('a crash after the commit object, before the ref, leaves branch, index and lock as they were', () => {
    const dir = inlineStore();
    const head = revParse(dir, 'HEAD');
    const r = tackRaw(dir, ['create', 'Crash'], { TACK_FAULT: 'after-commit-object' });
    expect(r.status).not.toBe(0);
    expect(revParse(dir, 'HEAD')).toBe(head);
    expect(status(dir)).toBe('');
    expect(tackJson(dir, 'list')).toEqual([]);
    // The killed writer's own index.lock is recognised (its owner note) and cleared by the next write.
    tackJson(dir, 'create', 'After');
    expect(existsSync(join(dir, '.git', 'index.lock'))).toBe(false);
    expect(status(dir)).toBe('');
  });

  it("removes entries with the repository's zero id (SHA-256)", () => {
    const dir = inlineStore('sha256');
    const t = tackJson(dir, 'create', 'Gone soon');
    tack(dir, 'delete', t.id);
    expect(status(dir)).toBe('');
    expect(git(dir, 'ls-files', '.tack/tickets')).toBe('.tack/tickets/.gitkeep');
    expect(git(dir, 'fsck', '--strict')).toBe('');
  });
});
