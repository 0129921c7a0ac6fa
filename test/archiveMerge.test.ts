import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, tack, tackJson, tempRepo, tempStore, testEnv, trackCleanups } from './helpers.js';

/* Archived tickets merge as tickets: `archive/*.md` goes through Tack's driver, not git's text merge. */

const track = trackCleanups();

describe('archive/*.md under git merge', () => {
  it('is routed to the tack driver and merged as a ticket by a real git pull', () => {
    const o = tempStore();
    track(o.cleanup);
    expect(git(o.dir, 'show', 'tack:.gitattributes')).toMatch(/^archive\/\*\.md merge=tack$/m);
    const id = tackJson(o.dir, 'create', 'Old work').id;
    tack(o.dir, 'close', id);
    const archived = spawnSync(
      process.execPath,
      [join(__dirname, '..', 'bin', 'tack.cjs'), 'archive', '--done-before', '2999-01-01'],
      { cwd: o.dir, env: testEnv(), encoding: 'utf8' },
    );
    expect(archived.status, archived.stderr).toBe(0);
    expect(git(o.dir, 'ls-tree', '--name-only', 'tack', 'archive/')).toBe(`archive/${id}.md`);

    const c = tempRepo('tack-clone-');
    track(c.cleanup);
    spawnSync('rm', ['-rf', c.dir]);
    git(o.dir, 'clone', '-q', o.dir, c.dir);
    tack(c.dir, 'list'); // registers the driver in the clone
    git(c.dir, 'checkout', '-q', 'tack');
    expect(git(c.dir, 'check-attr', 'merge', `archive/${id}.md`)).toBe(`archive/${id}.md: merge: tack`);

    // Both sides change the same front-matter line: git's text merge would conflict.
    const file = join(c.dir, 'archive', `${id}.md`);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: Clone title'));
    git(c.dir, 'commit', '-qam', 'clone edit');
    tack(o.dir, 'update', id, '--title', 'Origin title');
    tack(o.dir, 'comment', id, 'a late comment');

    const r = spawnSync('git', ['pull', '--no-rebase', '--no-edit', 'origin', 'tack'], {
      cwd: c.dir,
      env: testEnv(),
      encoding: 'utf8',
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/^<{7}|^>{7}|^```/m);
    const t = tackJson(c.dir, 'show', id);
    expect(t.archived).toBe(true);
    expect(t.title).toMatch(/^(Clone|Origin) title$/);
    expect(JSON.stringify(t.comments)).toMatch(/a late comment/);
    expect(tackJson(c.dir, 'doctor').ok).toBe(true);
  });
});
