import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, revParse, tack, tackFail, tackJson, tackRaw, tempRepo, tempStore, trackCleanups } from './helpers.js';

/*
 * A command that fails writes nothing: the tack ref, the ticket files and the user's
 * repository are exactly as before, and the error says what was wrong.
 */

const track = trackCleanups();
function store(): string {
  const r = tempStore();
  track(r.cleanup);
  return r.dir;
}

/** Everything a failed command could have changed. */
function snapshot(dir: string): string {
  return [
    git(dir, 'for-each-ref', '--format=%(refname) %(objectname)'),
    git(dir, 'ls-tree', '-r', 'tack'),
    git(dir, 'status', '--porcelain', '--untracked-files=all'),
  ].join('\n---\n');
}

describe('a failed command writes nothing', () => {
  it('invalid updates and creates leave the ref unchanged', () => {
    const dir = store();
    const a = tackJson(dir, 'create', 'A').id;
    const before = snapshot(dir);
    const ref = revParse(dir, 'tack');

    expect(tackFail(dir, 'update', a, '--status', 'doing').error.code).toBe('invalid_input');
    expect(tackFail(dir, 'update', a, '--priority', 'p0').error.message).toContain('none, urgent, high, medium, low');
    expect(tackFail(dir, 'update', a, '--type', 'story').error.code).toBe('invalid_input');
    expect(tackFail(dir, 'update', a).error.code).toBe('invalid_input'); // nothing to update
    expect(tackFail(dir, 'update', a, '--field', 'estimate=3').error.code).toBe('invalid_input'); // no such field
    expect(tackFail(dir, 'create', 'B', '--status', 'doing').error.code).toBe('invalid_input');
    expect(tackFail(dir, 'create', '   ').error.code).toBe('invalid_input');
    expect(tackFail(dir, 'comment', a, '  ').error.code).toBe('invalid_input');
    expect(tackFail(dir, 'close', a, '--status', 'todo').error.code).toBe('invalid_input');
    expect(tackFail(dir, 'unlink', a, 'blocks', a).error.code).toBe('not_found');
    expect(tackFail(dir, 'link', a, 'blocks', a).error.code).toBe('invalid_input');
    expect(tackFail(dir, 'link', a, 'mentions', a).error.code).toBe('invalid_input');

    expect(revParse(dir, 'tack')).toBe(ref);
    expect(snapshot(dir)).toBe(before);
  });

  it('a blocks cycle is refused with code cycle', () => {
    const dir = store();
    const a = tackJson(dir, 'create', 'A').id;
    const b = tackJson(dir, 'create', 'B').id;
    const c = tackJson(dir, 'create', 'C').id;
    tack(dir, 'link', a, 'blocks', b);
    const ref = revParse(dir, 'tack');

    const two = tackFail(dir, 'link', b, 'blocks', a);
    expect(two.error.code).toBe('cycle');
    expect(two.error.message).toContain(a);
    expect(two.error.message).toContain(b);
    expect(revParse(dir, 'tack')).toBe(ref);

    tack(dir, 'link', b, 'blocks', c);
    const ref2 = revParse(dir, 'tack');
    const three = tackFail(dir, 'link', c, 'blocks', a);
    expect(three.error.code).toBe('cycle');
    expect(revParse(dir, 'tack')).toBe(ref2);
    // the inverse spelling is the same edge, refused the same way
    expect(tackFail(dir, 'link', a, 'blocked-by', c).error.code).toBe('cycle');
    expect(revParse(dir, 'tack')).toBe(ref2);
    expect(git(dir, 'show', `tack:tickets/${c}.md`)).not.toContain('blocks:');
  });

  it('a parent cycle is refused with code cycle', () => {
    const dir = store();
    const a = tackJson(dir, 'create', 'A').id;
    const b = tackJson(dir, 'create', 'B', '--parent', a).id;
    const c = tackJson(dir, 'create', 'C', '--parent', b).id;
    const ref = revParse(dir, 'tack');
    expect(tackFail(dir, 'update', a, '--parent', c).error.code).toBe('cycle');
    expect(tackFail(dir, 'update', a, '--parent', b).error.code).toBe('cycle');
    expect(['cycle', 'invalid_ticket', 'invalid_input']).toContain(
      tackFail(dir, 'update', a, '--parent', a).error.code,
    );
    expect(revParse(dir, 'tack')).toBe(ref);
    expect(git(dir, 'show', `tack:tickets/${a}.md`)).not.toContain('parent:');
  });

  it('a dangling parent or blocks target is refused', () => {
    const dir = store();
    const a = tackJson(dir, 'create', 'A').id;
    const before = snapshot(dir);
    expect(tackFail(dir, 'update', a, '--parent', 'tk-zzzzzzzz').error.code).toBe('not_found');
    expect(tackFail(dir, 'create', 'B', '--parent', 'tk-zzzzzzzz').error.code).toBe('not_found');
    expect(tackFail(dir, 'create', 'B', '--blocks', 'tk-zzzzzzzz').error.code).toBe('not_found');
    expect(tackFail(dir, 'link', a, 'blocks', 'tk-zzzzzzzz').error.code).toBe('not_found');
    expect(snapshot(dir)).toBe(before);
  });
});

describe('init', () => {
  it('twice: the second run says the store exists and changes nothing', () => {
    const dir = store();
    tack(dir, 'create', 'Keep me');
    const before = snapshot(dir);
    const ref = revParse(dir, 'tack');
    const settings = readFileSync(join(dir, '.git', 'tack', 'store.json'), 'utf8');
    const again = tackJson(dir, 'init');
    expect(again.created).toBe(false);
    expect(again.message).toMatch(/already exists/);
    const inline = tackRaw(dir, ['init', '--inline']);
    expect(inline.stdout + inline.stderr).toMatch(/already exists/);
    expect(revParse(dir, 'tack')).toBe(ref);
    expect(snapshot(dir)).toBe(before);
    expect(readFileSync(join(dir, '.git', 'tack', 'store.json'), 'utf8')).toBe(settings);
  });

  it('outside a git repository: not_a_repo', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tack-nogit-'));
    track(() => rmSync(dir, { recursive: true, force: true }));
    const r = tackFail(dir, 'init');
    expect(r.error.code).toBe('not_a_repo');
    expect(r.error.message).toContain(dir);
    expect(tackFail(dir, 'list').error.code).toBe('not_a_repo');
  });

  it('in a repository without commits: no_commits, and nothing is created', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tack-empty-'));
    track(() => rmSync(dir, { recursive: true, force: true }));
    git(dir, 'init', '-q', '-b', 'main');
    const r = tackFail(dir, 'init');
    expect(r.error.code).toBe('no_commits');
    expect(git(dir, 'for-each-ref')).toBe('');
    expect(tackFail(dir, 'init', '--inline').error.code).toBe('no_commits');
    expect(git(dir, 'for-each-ref')).toBe('');
  });

  it('commands before init: no_store', () => {
    const r = tempRepo();
    track(r.cleanup);
    const e = tackFail(r.dir, 'list');
    expect(e.error.code).toBe('no_store');
    expect(e.error.message).toContain('tack init');
    expect(tackFail(r.dir, 'create', 'x').error.code).toBe('no_store');
    expect(revParse(r.dir, 'refs/heads/tack')).toBeNull();
  });
});
