import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, revParse, sh, tack, tackFail, tackJson, tempRepo, trackCleanups } from './helpers.js';

/*
 * Inline mode: tickets live in .tack/ on the current branch. Every Tack write is one
 * commit touching only .tack/ paths; the user's staged and unstaged work stays exactly
 * where it was; hand edits to the files are seen at once.
 */

const track = trackCleanups();

function inlineRepo(): string {
  const r = tempRepo();
  track(r.cleanup);
  const dir = r.dir;
  writeFileSync(join(dir, 'a.txt'), 'a\n');
  writeFileSync(join(dir, 'b.txt'), 'b\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'code');
  return dir;
}

const g = (dir: string, ...args: string[]) => sh(dir, 'git', args, { GIT_OPTIONAL_LOCKS: '0' });
const lines = (s: string) => s.split('\n').filter(Boolean);

describe('inline mode', () => {
  it('init commits .tack/ on the current branch', () => {
    const dir = inlineRepo();
    const head = revParse(dir, 'HEAD');
    const out = tackJson(dir, 'init', '--inline');
    expect(out).toMatchObject({ created: true, mode: 'inline' });
    expect(revParse(dir, 'HEAD~1')).toBe(head);
    expect(revParse(dir, 'refs/heads/tack')).toBeNull();
    expect(lines(git(dir, 'diff-tree', '--no-commit-id', '--name-only', '-r', 'HEAD')).sort()).toEqual([
      '.gitattributes',
      '.tack/schema.yaml',
      '.tack/tickets/.gitkeep',
    ]);
    expect(readFileSync(join(dir, '.tack', 'schema.yaml'), 'utf8')).toBe(
      `${git(dir, 'show', 'HEAD:.tack/schema.yaml')}\n`,
    );
    expect(g(dir, 'status', '--porcelain')).toBe('');
  });

  it('each write is one commit of .tack/ paths; staged stays staged, unstaged stays unstaged', () => {
    const dir = inlineRepo();
    tack(dir, 'init', '--inline');
    writeFileSync(join(dir, 'a.txt'), 'a, staged\n');
    git(dir, 'add', 'a.txt');
    writeFileSync(join(dir, 'b.txt'), 'b, unstaged\n');
    writeFileSync(join(dir, 'c.txt'), 'untracked\n');
    const stagedDiff = g(dir, 'diff', '--cached');
    const unstagedDiff = g(dir, 'diff');
    const start = revParse(dir, 'HEAD')!;

    const id = tackJson(dir, 'create', 'Inline ticket', '-l', 'x').id;
    tack(dir, 'update', id, '--status', 'in-progress');
    tack(dir, 'comment', id, 'noted');
    const other = tackJson(dir, 'create', 'Other').id;
    tack(dir, 'link', id, 'blocks', other);

    const commits = lines(git(dir, 'rev-list', `${start}..HEAD`));
    expect(commits).toHaveLength(5);
    for (const c of commits) {
      const paths = lines(git(dir, 'diff-tree', '--no-commit-id', '--name-only', '-r', c));
      expect(paths.length).toBeGreaterThan(0);
      for (const p of paths) expect(p).toMatch(/^\.tack\//);
      expect(git(dir, 'log', '-1', '--format=%(trailers:key=Tack-Op,valueonly)', c)).not.toBe('');
    }
    // the user's work is exactly where it was
    expect(g(dir, 'diff', '--cached')).toBe(stagedDiff);
    expect(g(dir, 'diff')).toBe(unstagedDiff);
    expect(lines(g(dir, 'status', '--porcelain', '--untracked-files=all')).sort()).toEqual(
      [' M b.txt', '?? c.txt', 'M  a.txt'].sort(),
    );
    expect(git(dir, 'show', ':a.txt')).toBe('a, staged');
    expect(git(dir, 'show', 'HEAD:a.txt')).toBe('a');
    // the committed ticket is what is on disk
    expect(readFileSync(join(dir, '.tack', 'tickets', `${id}.md`), 'utf8')).toBe(
      `${git(dir, 'show', `HEAD:.tack/tickets/${id}.md`)}\n`,
    );
    expect(tackJson(dir, 'show', id)).toMatchObject({ status: 'in-progress', blocks: [other], labels: ['x'] });
  });

  it('a hand edit to a ticket file (not committed) is seen at once by list and show', () => {
    const dir = inlineRepo();
    tack(dir, 'init', '--inline');
    const id = tackJson(dir, 'create', 'Before the edit').id;
    const path = join(dir, '.tack', 'tickets', `${id}.md`);
    const text = readFileSync(path, 'utf8');
    writeFileSync(
      path,
      text.replace('title: Before the edit', 'title: After the edit').replace('priority: none', 'priority: urgent'),
    );

    const listed = tackJson(dir, 'list');
    expect(listed.map((t: any) => [t.id, t.title, t.priority])).toEqual([[id, 'After the edit', 'urgent']]);
    const shown = tackJson(dir, 'show', id);
    expect(shown.title).toBe('After the edit');
    expect(shown.dirty).toBe(true);

    // a new file written by hand shows up too
    const handId = 'tk-hand0001';
    writeFileSync(
      join(dir, '.tack', 'tickets', `${handId}.md`),
      `---\nid: ${handId}\ntitle: Written in vim\nstatus: todo\ncreated: 2026-01-01T00:00:00Z\n---\nBody\n`,
    );
    expect(
      tackJson(dir, 'list')
        .map((t: any) => t.id)
        .sort(),
    ).toEqual([id, handId].sort());
    expect(tackJson(dir, 'search', 'vim').map((t: any) => t.id)).toEqual([handId]);

    // a file deleted by hand disappears
    rmSync(join(dir, '.tack', 'tickets', `${handId}.md`));
    expect(tackJson(dir, 'list').map((t: any) => t.id)).toEqual([id]);

    // a Tack write to the edited ticket keeps the hand edit
    tack(dir, 'update', id, '--assignee', 'bob');
    expect(git(dir, 'show', `HEAD:.tack/tickets/${id}.md`)).toContain('title: After the edit');
  });

  it('detached HEAD: writes fail with detached_head and change nothing; reads work', () => {
    const dir = inlineRepo();
    tack(dir, 'init', '--inline');
    const id = tackJson(dir, 'create', 'Before detaching').id;
    git(dir, 'checkout', '-q', '--detach');
    const head = revParse(dir, 'HEAD');
    const status = g(dir, 'status', '--porcelain');
    const e = tackFail(dir, 'create', 'While detached');
    expect(e.error.code).toBe('detached_head');
    expect(tackFail(dir, 'update', id, '--status', 'done').error.code).toBe('detached_head');
    expect(revParse(dir, 'HEAD')).toBe(head);
    expect(g(dir, 'status', '--porcelain')).toBe(status);
    expect(tackJson(dir, 'list').map((t: any) => t.id)).toEqual([id]);
  });
});
