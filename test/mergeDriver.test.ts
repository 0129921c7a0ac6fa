import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, sh, tack, tackJson, tackRaw, tempRepo, testEnv, trackCleanups } from './helpers.js';
import { builtDriver, CONFLICT_MARKERS, remoteWithStore, tackShim } from './syncHelpers.js';

/*
 * The git merge driver: with `merge=tack` in .gitattributes and merge.tack.driver in the
 * config, plain git merge, rebase and cherry-pick of conflicting ticket edits succeed
 * and leave no conflict markers in ticket files.
 */

const track = trackCleanups();

function shim(): Record<string, string> {
  const s = tackShim();
  track(s.cleanup);
  return s.env;
}

/** An inline store with one ticket, and that ticket's id. */
function inlineWithTicket(): { dir: string; id: string } {
  const r = tempRepo();
  track(r.cleanup);
  tack(r.dir, 'init', '--inline');
  const id = tackJson<{ id: string }>(r.dir, 'create', 'Shared ticket', '--description', 'line one\nline two\n').id;
  return { dir: r.dir, id };
}

/** Edit the ticket differently on `feature` and on `main` (both change status, labels, body). */
function divergeInline(dir: string, id: string, env: Record<string, string>): void {
  git(dir, 'switch', '-q', '-c', 'feature');
  tackRaw(dir, ['update', id, '--status', 'in-progress'], { TACK_NOW: '2026-11-21T10:00:00Z', ...env });
  tackRaw(dir, ['label', 'add', id, 'from-feature'], { TACK_NOW: '2026-11-21T10:00:01Z', ...env });
  git(dir, 'switch', '-q', 'main');
  tackRaw(dir, ['update', id, '--status', 'done'], { TACK_NOW: '2026-11-21T11:00:00Z', ...env });
  tackRaw(dir, ['label', 'add', id, 'from-main'], { TACK_NOW: '2026-11-21T11:00:01Z', ...env });
}

function ticketOnDisk(dir: string, id: string): string {
  return readFileSync(join(dir, '.tack', 'tickets', `${id}.md`), 'utf8');
}

describe('merge driver', () => {
  it('init registers .gitattributes and merge.tack.driver; setup is idempotent', () => {
    const { dir } = inlineWithTicket();
    expect(readFileSync(join(dir, '.gitattributes'), 'utf8')).toContain('.tack/tickets/*.md merge=tack');
    expect(git(dir, 'config', 'merge.tack.driver')).toBe(builtDriver());
    expect(git(dir, 'check-attr', 'merge', '.tack/tickets/x.md')).toBe('.tack/tickets/x.md: merge: tack');
    expect(tackJson(dir, 'setup')).toMatchObject({ configured: false, attributes: false, commit: null });
    git(dir, 'config', '--unset', 'merge.tack.driver');
    expect(tackJson(dir, 'setup')).toMatchObject({ configured: true, attributes: false });
  });

  it('plain git merge of conflicting inline ticket edits succeeds without markers', () => {
    const env = shim();
    const { dir, id } = inlineWithTicket();
    divergeInline(dir, id, env);
    sh(dir, 'git', ['merge', '-q', '--no-edit', 'feature'], env);
    const text = ticketOnDisk(dir, id);
    expect(text).not.toMatch(CONFLICT_MARKERS);
    expect(text).toMatch(/labels: \[(from-main, from-feature|from-feature, from-main)\]/);
    expect(text).toContain('status: done');
    expect(text).toMatch(/conflicts: .*field: status, lost: in-progress/);
    expect(tackJson<Array<{ id: string }>>(dir, 'conflicts').map((c) => c.id)).toEqual([id]);
  });

  it('fails without the driver (the test can fail): git stops on the conflict', () => {
    const env = shim();
    const { dir, id } = inlineWithTicket();
    // info/attributes outranks .gitattributes: git's own line merge, as without Tack.
    writeFileSync(join(dir, '.git', 'info', 'attributes'), '*.md merge=text\n');
    divergeInline(dir, id, env);
    expect(() => sh(dir, 'git', ['merge', '-q', '--no-edit', 'feature'], env)).toThrow();
    expect(ticketOnDisk(dir, id)).toMatch(CONFLICT_MARKERS);
  });

  it('git rebase and git cherry-pick of conflicting ticket edits succeed', () => {
    const env = shim();
    const { dir, id } = inlineWithTicket();
    divergeInline(dir, id, env);
    sh(dir, 'git', ['cherry-pick', 'feature'], env);
    expect(ticketOnDisk(dir, id)).not.toMatch(CONFLICT_MARKERS);
    expect(ticketOnDisk(dir, id)).toContain('from-main');
    git(dir, 'reset', '-q', '--hard', 'HEAD~1');
    sh(dir, 'git', ['rebase', '-q', 'main', 'feature'], env);
    const text = ticketOnDisk(dir, id);
    expect(text).not.toMatch(CONFLICT_MARKERS);
    expect(text).toContain('from-main');
    expect(text).toContain('from-feature');
  });

  it('branch mode: git merge of the tack branch in a worktree uses the driver from the branch', () => {
    const env = shim();
    const { first, clone } = remoteWithStore(track);
    const id = tackJson<{ id: string }>(first, 'create', 'Shared').id;
    tack(first, 'sync');
    const b = clone();
    tackRaw(b, ['update', id, '--title', 'Title from b'], { TACK_NOW: '2026-11-21T10:00:00Z' });
    tack(b, 'sync');
    tackRaw(first, ['update', id, '--title', 'Title from a'], { TACK_NOW: '2026-11-21T11:00:00Z' });
    git(first, 'fetch', '-q', 'origin');
    const wt = `${first}-wt`;
    track(() => sh(first, 'rm', ['-rf', wt]));
    git(first, 'worktree', 'add', '-q', wt, 'tack');
    sh(wt, 'git', ['merge', '-q', '--no-edit', 'origin/tack'], env);
    const text = readFileSync(join(wt, 'tickets', `${id}.md`), 'utf8');
    expect(text).not.toMatch(CONFLICT_MARKERS);
    expect(text).toContain('title: Title from a');
    expect(text).toContain('lost: Title from b');
  });

  it('with the installing Tack gone and none on PATH, git still merges edits to different lines (git merge-file)', () => {
    const { dir, id } = inlineWithTicket();
    const at = { TACK_NOW: '2026-11-21T10:00:00Z' };
    git(dir, 'switch', '-q', '-c', 'feature');
    tackRaw(dir, ['update', id, '--title', 'Title from feature'], at);
    git(dir, 'switch', '-q', 'main');
    tackRaw(dir, ['update', id, '--description', 'line one\nline two, from main\n'], at);
    // No tack on PATH: the test environment's PATH has node's directory and the system's only.
    expect(spawnSync('sh', ['-c', 'command -v tack'], { env: testEnv() }).status).not.toBe(0);
    // A driver naming only the gone Tack (as Tack registered it before) fails the merge.
    git(dir, 'config', 'merge.tack.driver', "'/gone/node' '/gone/tack.cjs' merge-file %O %A %B %P");
    expect(() => sh(dir, 'git', ['merge', '-q', '--no-edit', 'feature'])).toThrow();
    git(dir, 'merge', '--abort');
    git(dir, 'config', 'merge.tack.driver', builtDriver('/gone/node', '/gone/tack.cjs'));
    sh(dir, 'git', ['merge', '-q', '--no-edit', 'feature']);
    const text = ticketOnDisk(dir, id);
    expect(text).not.toMatch(CONFLICT_MARKERS);
    expect(text).toContain('title: Title from feature');
    expect(text).toContain('line two, from main');
  });
});
