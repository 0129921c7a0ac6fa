import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { builtDriver } from './syncHelpers.js';
import { describe, expect, it } from 'vitest';
import {
  git,
  revParse,
  tack,
  tackFail,
  tackJson,
  tackRaw,
  tempRepo,
  tempStore,
  testEnv,
  trackCleanups,
} from './helpers.js';

/*
 * A clone that never ran `tack setup`: git config is not cloned, so Tack registers its
 * merge driver itself on the first command; a clone where no Tack command ran before a
 * plain `git pull` gets markers, which doctor finds and repairs, and sync never pushes.
 */

const track = trackCleanups();

function origin(): { dir: string; id: string } {
  const o = tempStore();
  track(o.cleanup);
  const id = tackJson(o.dir, 'create', 'Shared title').id;
  return { dir: o.dir, id };
}

function cloneOf(src: string): string {
  const c = tempRepo('tack-clone-');
  track(c.cleanup);
  spawnSync('rm', ['-rf', c.dir]);
  git(join(c.dir, '..'), 'clone', '-q', src, c.dir);
  git(c.dir, 'config', 'user.name', 'Clone User');
  git(c.dir, 'config', 'user.email', 'clone@example.com');
  return c.dir;
}

/** `git pull` as a user runs it (exit status and output, no throw). */
function pull(dir: string): { status: number; out: string } {
  const r = spawnSync('git', ['pull', '--no-rebase', '--no-edit', 'origin', 'tack'], {
    cwd: dir,
    env: testEnv(),
    encoding: 'utf8',
  });
  return { status: r.status ?? -1, out: r.stdout + r.stderr };
}

function editTitle(dir: string, file: string, title: string): void {
  const p = join(dir, file);
  writeFileSync(p, readFileSync(p, 'utf8').replace(/^title: .*$/m, `title: ${title}`));
}

const markers = /^<{7}|^>{7}/m;

describe('a clone without tack setup', () => {
  it('registers the merge driver itself: quoted absolute node and bin, once', () => {
    const o = origin();
    const dir = cloneOf(o.dir);
    expect(spawnSync('git', ['config', 'merge.tack.driver'], { cwd: dir, env: testEnv() }).status).toBe(1);
    const first = tackRaw(dir, ['list']);
    expect(first.status).toBe(0);
    expect(first.stderr).toMatch(/registered Tack's merge driver/);
    const driver = git(dir, 'config', 'merge.tack.driver');
    expect(driver).toBe(builtDriver());
    const config = readFileSync(join(dir, '.git', 'config'), 'utf8');
    const again = tackRaw(dir, ['list']);
    expect(again.stderr).not.toMatch(/registered/);
    expect(readFileSync(join(dir, '.git', 'config'), 'utf8')).toBe(config);
  });

  it('then a plain git pull of the store branch merges tickets with the driver (no markers)', () => {
    const o = origin();
    const dir = cloneOf(o.dir);
    tack(dir, 'list');
    git(dir, 'checkout', '-q', 'tack');
    editTitle(dir, `tickets/${o.id}.md`, 'Clone title');
    git(dir, 'commit', '-qam', 'clone edit');
    tack(o.dir, 'update', o.id, '--title', 'Origin title');
    const r = pull(dir);
    expect(r.status, r.out).toBe(0);
    const text = readFileSync(join(dir, 'tickets', `${o.id}.md`), 'utf8');
    expect(text).not.toMatch(markers);
    expect(tackJson(dir, 'show', o.id).title).toMatch(/^(Clone|Origin) title$/);
  });

  it('markers a driverless pull committed are reported, refused by sync, and repaired by doctor --fix', () => {
    const o = origin();
    const dir = cloneOf(o.dir);
    git(dir, 'checkout', '-q', 'tack');
    editTitle(dir, `tickets/${o.id}.md`, 'Clone title');
    writeFileSync(
      join(dir, `tickets/${o.id}.md`),
      `${readFileSync(join(dir, `tickets/${o.id}.md`), 'utf8')}\nA line from the clone.\n`,
    );
    git(dir, 'commit', '-qam', 'clone edit');
    tack(o.dir, 'update', o.id, '--title', 'Origin title');
    expect(pull(dir).status).not.toBe(0); // no driver: git's text merge conflicts
    git(dir, 'commit', '-qam', 'merge with markers');
    expect(git(dir, 'show', `tack:tickets/${o.id}.md`)).toMatch(markers);
    const remoteBefore = revParse(o.dir, 'refs/heads/tack');

    const doctor = tackFail(dir, 'doctor');
    const checks = (doctor.error.details as any).findings.map((f: any) => `${f.check}:${f.fixed ? 'fixed' : 'open'}`);
    expect(checks).toContain('conflict_markers:open');
    expect(checks).toContain('merge_driver:fixed'); // registered by this very run

    const sync = tackFail(dir, 'sync');
    expect(sync.error.code).toBe('invalid_ticket');
    expect(sync.error.message).toMatch(
      new RegExp(`not pushing: tickets/${o.id}\\.md has git conflict markers.*tack doctor --fix`),
    );
    expect(revParse(o.dir, 'refs/heads/tack')).toBe(remoteBefore);

    const fixed = tackJson(dir, 'doctor', '--fix');
    expect(fixed.commit).toBeTruthy();
    const text = git(dir, 'show', `tack:tickets/${o.id}.md`);
    expect(text).not.toMatch(markers);
    expect(text).toMatch(/A line from the clone\./);
    expect(tackJson(dir, 'show', o.id).title).toMatch(/^(Clone|Origin) title$/);
    expect(tackJson(dir, 'sync').pushed).toBeGreaterThan(0);
    expect(git(o.dir, 'show', `tack:tickets/${o.id}.md`)).not.toMatch(markers);
  });
});
