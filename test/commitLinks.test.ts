import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  git,
  revParse,
  tack,
  tackFail,
  tackJson,
  tempRepo,
  tempStore,
  testEnv,
  trackCleanups,
  waitFor,
} from './helpers.js';

/*
 * Commits and branches: git hooks that chain the user's hooks, commit links written by
 * `tack commits scan`, closing words completing tickets on the default branch, and
 * `tack start --branch`. Real repositories, the built CLI, real `git commit`/`merge`.
 */

const track = trackCleanups();

interface Shown {
  id: string;
  status: string;
  category: string;
  assignee: string | null;
  commits: string[];
  branches: string[];
  done_at: { commit: string; branch: string | null } | null;
}

const create = (dir: string, title: string) => tackJson<{ id: string }>(dir, 'create', title).id;
const show = (dir: string, id: string) => tackJson<Shown>(dir, 'show', id);
const short = (id: string) => id.slice(0, 7);

function commitFile(dir: string, name: string, message: string): string {
  writeFileSync(join(dir, name), `${name} ${Math.random()}\n`);
  git(dir, 'add', name);
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

function store(): string {
  const r = tempStore();
  track(r.cleanup);
  return r.dir;
}

describe('tack hooks install', () => {
  it('chains an existing hook: it still runs, with its arguments, stdin and exit status', async () => {
    const dir = store();
    const hook = join(dir, '.git', 'hooks', 'post-rewrite');
    const userHook = '#!/bin/sh\necho "ran $1 $(cat)" >> "$(git rev-parse --show-toplevel)/user-hook.log"\nexit 7\n';
    writeFileSync(hook, userHook);
    chmodSync(hook, 0o755);
    const out = tackJson<{ hooks: Array<{ name: string; action: string; chained: string | null }> }>(
      dir,
      'hooks',
      'install',
    );
    expect(out.hooks.find((h) => h.name === 'post-rewrite')).toMatchObject({
      action: 'installed',
      chained: `${hook}.pre-tack`,
    });
    expect(readFileSync(`${hook}.pre-tack`, 'utf8')).toBe(userHook);
    // Through git: an amend runs post-rewrite with "amend" and the rewritten pair on stdin.
    const before = commitFile(dir, 'a.txt', 'first');
    git(dir, 'commit', '-q', '--amend', '-m', 'first, amended');
    expect(readFileSync(join(dir, 'user-hook.log'), 'utf8')).toContain(`ran amend ${before}`);
    // Directly: our hook exits with the user's hook's status.
    const direct = spawnSync('sh', [hook, 'amend'], { cwd: dir, env: testEnv(), input: 'x y\n', encoding: 'utf8' });
    expect(direct.status).toBe(7);
    const log = join(dir, '.git', 'tack', 'hooks.log');
    await waitFor(
      'post-rewrite in the log',
      () => existsSync(log) && readFileSync(log, 'utf8').includes('post-rewrite'),
    );
  });

  it('re-installs idempotently and uninstall restores the user hook exactly', () => {
    const dir = store();
    const hook = join(dir, '.git', 'hooks', 'post-merge');
    writeFileSync(hook, '#!/bin/sh\nexit 0\n');
    chmodSync(hook, 0o755);
    tack(dir, 'hooks', 'install');
    const again = tackJson<{ hooks: Array<{ name: string; action: string }> }>(dir, 'hooks', 'install');
    expect(again.hooks.map((h) => h.action)).toEqual(['updated', 'updated', 'updated', 'updated', 'updated']);
    expect(readFileSync(`${hook}.pre-tack`, 'utf8')).toBe('#!/bin/sh\nexit 0\n');
    expect(readFileSync(hook, 'utf8')).toContain('tack-hook');
    const un = tackJson<{ hooks: Array<{ name: string; action: string }> }>(dir, 'hooks', 'uninstall');
    expect(Object.fromEntries(un.hooks.map((h) => [h.name, h.action]))).toEqual({
      'pre-commit': 'removed',
      'post-commit': 'removed',
      'post-merge': 'restored',
      'post-rewrite': 'removed',
      'post-checkout': 'removed',
    });
    expect(readFileSync(hook, 'utf8')).toBe('#!/bin/sh\nexit 0\n');
    expect(existsSync(`${hook}.pre-tack`)).toBe(false);
    expect(existsSync(join(dir, '.git', 'hooks', 'post-commit'))).toBe(false);
    expect(tack(dir, 'hooks', 'uninstall')).toMatch(/nothing changed/);
  });

  it('respects core.hooksPath, and worktrees share the hooks', () => {
    const dir = store();
    // Absolute: a relative hooksPath is read from each worktree's own root.
    mkdirSync(join(dir, 'githooks'));
    git(dir, 'config', 'core.hooksPath', join(dir, 'githooks'));
    const out = tackJson<{ dir: string }>(dir, 'hooks', 'install');
    expect(out.dir).toBe(join(dir, 'githooks'));
    expect(existsSync(join(dir, 'githooks', 'post-commit'))).toBe(true);
    const id = create(dir, 'Worktree work');
    const wt = join(dir, '..', `${dir.split('/').pop()}-wt`);
    git(dir, 'worktree', 'add', '-q', '-b', 'feature', wt);
    track(() => spawnSync('rm', ['-rf', wt]));
    const sha = commitFile(wt, 'w.txt', `work on ${short(id)}`);
    expect(show(dir, id)).toMatchObject({ commits: [sha.slice(0, 12)], branches: ['feature'] });
  });

  it('never fails the git command when tack fails: the error goes to the log', async () => {
    const r = tempRepo();
    track(r.cleanup);
    tack(r.dir, 'hooks', 'install'); // no store here: every scan fails
    const res = spawnSync('git', ['commit', '-q', '--allow-empty', '-m', 'fixes tk-aaaa'], {
      cwd: r.dir,
      env: testEnv(),
      encoding: 'utf8',
    });
    expect(res.status).toBe(0);
    expect(res.stderr).toBe('');
    // The scan runs in the background: its failure reaches the log a moment later.
    const log = join(r.dir, '.git', 'tack', 'hooks.log');
    await waitFor('the failed scan in the log', () =>
      /no Tack store[\s\S]*commits scan failed/.test(existsSync(log) ? readFileSync(log, 'utf8') : ''),
    );
  });
});

describe('commit links', () => {
  it('links on a feature branch, completes when merged to main; "refs" only links', () => {
    const dir = store();
    tack(dir, 'hooks', 'install');
    const fixed = create(dir, 'Parser drops comments');
    const referenced = create(dir, 'Parser epic');
    git(dir, 'switch', '-q', '-c', 'feature');
    const c1 = commitFile(
      dir,
      'p.txt',
      `parser: keep comments\n\nFixes: ${short(fixed).toUpperCase()}\nRefs ${short(referenced)}`,
    );
    expect(show(dir, fixed)).toMatchObject({
      category: 'unstarted',
      commits: [c1.slice(0, 12)],
      branches: ['feature'],
      done_at: null,
    });
    expect(show(dir, referenced)).toMatchObject({ commits: [c1.slice(0, 12)], branches: ['feature'] });
    git(dir, 'switch', '-q', 'main');
    git(dir, 'merge', '-q', '--no-ff', '-m', 'Merge feature', 'feature');
    expect(show(dir, fixed)).toMatchObject({
      category: 'completed',
      done_at: { commit: c1.slice(0, 12), branch: 'main' },
    });
    expect(show(dir, referenced)).toMatchObject({ category: 'unstarted', done_at: null });
    const human = tack(dir, 'show', fixed);
    expect(human).toMatch(new RegExp(`commits: +${c1.slice(0, 12)}`));
    expect(human).toMatch(/branches: +feature/);
    expect(human).toMatch(new RegExp(`done at: +${c1.slice(0, 12)} on main`));
    // The index lists them too, for SQL.
    expect(
      tackJson<unknown[]>(dir, 'sql', `SELECT ticket, "commit", done FROM ticket_commits WHERE ticket = '${fixed}'`),
    ).toEqual([{ ticket: fixed, commit: c1.slice(0, 12), done: 1 }]);
    expect(tackJson<unknown[]>(dir, 'sql', 'SELECT ticket, branch FROM ticket_branches ORDER BY ticket')).toEqual(
      [fixed, referenced].sort().map((ticket) => ({ ticket, branch: 'feature' })),
    );
    // The completion is an ordinary Tack commit, with the ticket in its trailers.
    expect(git(dir, 'log', '-1', '--format=%B', 'tack')).toMatch(
      new RegExp(`Tack-Op: commits-scan[\\s\\S]*Tack-Ticket: ${fixed}`),
    );
  });

  it("a closing commit that reached origin's default branch completes after a fetch", () => {
    const dir = store();
    const id = create(dir, 'Merged upstream');
    const remote = join(dir, '..', `${dir.split('/').pop()}-remote.git`);
    track(() => spawnSync('rm', ['-rf', remote, `${remote}-clone`]));
    git(dir, 'init', '-q', '--bare', '-b', 'main', remote);
    git(dir, 'remote', 'add', 'origin', remote);
    git(dir, 'push', '-q', 'origin', 'main');
    git(dir, 'fetch', '-q', 'origin');
    expect(tackJson<{ linked: unknown[] }>(dir, 'commits', 'scan').linked).toEqual([]);
    // Someone else's commit lands on the remote's main (a merged pull request).
    git(dir, 'clone', '-q', remote, `${remote}-clone`);
    const c = commitFile(`${remote}-clone`, 'up.txt', `Resolves ${short(id)}`);
    git(`${remote}-clone`, 'push', '-q', 'origin', 'main');
    git(dir, 'fetch', '-q', 'origin');
    tack(dir, 'commits', 'scan');
    expect(show(dir, id)).toMatchObject({
      category: 'completed',
      done_at: { commit: c.slice(0, 12), branch: 'main' },
      branches: [],
    });
  });

  it('a rescan from scratch changes nothing; a reopened ticket stays open', () => {
    const dir = store();
    const id = create(dir, 'Once');
    commitFile(dir, 'a.txt', `closes ${short(id)}`);
    expect(tackJson<{ linked: unknown[] }>(dir, 'commits', 'scan').linked).toHaveLength(1);
    expect(show(dir, id).category).toBe('completed');
    tack(dir, 'reopen', id);
    const head = revParse(dir, 'tack');
    const again = tackJson<{ linked: unknown[]; commit: string | null; scanned: number }>(
      dir,
      'commits',
      'scan',
      '--all',
    );
    expect(again).toMatchObject({ linked: [], commit: null, scanned: 1 });
    expect(revParse(dir, 'tack')).toBe(head);
    expect(show(dir, id).category).not.toBe('completed');
  });

  it('git revert of the closing commit, or a negated closing word, never completes the reopened ticket', () => {
    const dir = store();
    const id = create(dir, 'Reverted');
    const c1 = commitFile(dir, 'a.txt', `Fix ${short(id)}`);
    tack(dir, 'commits', 'scan');
    expect(show(dir, id).category).toBe('completed');
    tack(dir, 'reopen', id);
    expect(tack(dir, 'show', id)).not.toMatch(/done at:/); // an open ticket is not "done at"
    git(dir, 'revert', '--no-edit', c1);
    commitFile(dir, 'b.txt', `do not close ${short(id)} until the docs land`);
    tack(dir, 'commits', 'scan');
    const after = show(dir, id);
    expect(after.category).not.toBe('completed');
    expect(after.commits).toHaveLength(3); // still linked, all three
  });

  it('is incremental: after the first scan only new commits are read', () => {
    const dir = store();
    const id = create(dir, 'Busy');
    // 3,000 commits, every 60th mentioning the ticket, written at once by fast-import.
    const lines: string[] = [];
    const parent = git(dir, 'rev-parse', 'main');
    for (let i = 0; i < 3000; i++) {
      const msg = i % 60 === 0 ? `step ${i} towards ${short(id)}\n` : `step ${i}\n`;
      lines.push(
        'commit refs/heads/main',
        `committer T <t@e> ${1700000000 + i} +0000`,
        `data ${Buffer.byteLength(msg)}`,
        msg,
      );
      if (i === 0) lines.push(`from ${parent}`);
      lines.push('');
    }
    spawnSync('git', ['fast-import', '--quiet'], { cwd: dir, env: testEnv(), input: lines.join('\n') });
    expect(tackJson<{ scanned: number }>(dir, 'commits', 'scan').scanned).toBe(50);
    expect(show(dir, id).commits).toHaveLength(50);
    commitFile(dir, 'x.txt', `one more for ${short(id)}`);
    expect(tackJson<{ scanned: number }>(dir, 'commits', 'scan').scanned).toBe(1);
    expect(tackJson<{ scanned: number }>(dir, 'commits', 'scan').scanned).toBe(0);
    expect(show(dir, id).commits).toHaveLength(51);
  });
});

describe('tack start', () => {
  it('starts the ticket and creates and checks out a branch named from it', () => {
    const dir = store();
    const id = create(dir, 'Trailing comments: keep them!');
    const out = tackJson<{
      ticket: { category: string; assignee: string };
      branch: { name: string; created: boolean; checked_out: boolean };
    }>(dir, 'start', id, '--branch');
    const name = `${short(id).slice(0, 7)}-trailing-comments-keep-them`;
    expect(out.ticket).toMatchObject({ category: 'started', assignee: 'tester' });
    expect(out.branch).toMatchObject({ name, created: true, checked_out: true });
    expect(git(dir, 'branch', '--show-current')).toBe(name);
    expect(show(dir, id).branches).toEqual([name]);
  });

  it('on a dirty tree: creates the branch but does not switch, and says so', () => {
    const dir = store();
    const id = create(dir, 'Dirty');
    commitFile(dir, 'f.txt', 'base');
    writeFileSync(join(dir, 'f.txt'), 'changed\n');
    git(dir, 'config', 'tack.branchTemplate', 'work/{id}');
    const out = tackJson<{ branch: { name: string; checked_out: boolean }; message: string }>(
      dir,
      'start',
      id,
      '--branch',
    );
    expect(out.branch).toMatchObject({ name: `work/${id}`, checked_out: false });
    expect(out.message).toMatch(/did not switch.*uncommitted changes/);
    expect(git(dir, 'branch', '--show-current')).toBe('main');
    expect(revParse(dir, `refs/heads/work/${id}`)).toBe(git(dir, 'rev-parse', 'HEAD'));
    expect(readFileSync(join(dir, 'f.txt'), 'utf8')).toBe('changed\n');
  });

  it('without --branch only starts; a bad branch name changes nothing', () => {
    const dir = store();
    const id = create(dir, 'Plain');
    const head = revParse(dir, 'tack');
    expect(tackFail(dir, 'start', id, '--name', 'bad..name').error.code).toBe('invalid_input');
    expect(revParse(dir, 'tack')).toBe(head);
    expect(tackJson<{ branch: null; ticket: { category: string } }>(dir, 'start', id)).toMatchObject({
      branch: null,
      ticket: { category: 'started' },
    });
    expect(git(dir, 'branch', '--list')).not.toMatch(/plain/);
    // `--branch NAME` names the branch; the ticket, already started, is not written again.
    const before = revParse(dir, 'tack');
    expect(
      tackJson<{ branch: { name: string; created: boolean }; commit: string | null }>(
        dir,
        'start',
        id,
        '--branch',
        'fix/plain',
      ),
    ).toMatchObject({ branch: { name: 'fix/plain', created: true }, commit: expect.any(String) });
    expect(show(dir, id).branches).toEqual(['fix/plain']);
    expect(tackJson<{ commit: string | null }>(dir, 'start', id, '--branch', 'fix/plain').commit).toBeNull();
    expect(revParse(dir, 'tack')).not.toBe(before);
  });
});
