import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, tack, tackAsync, tackFail, tackJson, tackRaw, tempStore, trackCleanups } from './helpers.js';
import { remoteWithStore } from './syncHelpers.js';

const cleanup = trackCleanups();

/** A branch-mode store with one ticket, mounted at the default place. */
function mounted(): { dir: string; mount: string; id: string; file: string; head: string; status: string } {
  const repo = tempStore({ prefix: 'tack-mount-' });
  cleanup(repo.cleanup);
  const id = tackJson(repo.dir, 'create', 'Mounted ticket', '--description', 'First line.').id as string;
  const head = git(repo.dir, 'rev-parse', 'HEAD');
  const status = git(repo.dir, 'status', '--porcelain');
  const mount = tackJson(repo.dir, 'mount').mount as string;
  return { dir: repo.dir, mount, id, file: join(mount, 'tickets', `${id}.md`), head, status };
}

/** The user's own worktree: HEAD, index and files as they were. */
function expectMainUntouched(m: { dir: string; head: string; status: string }): void {
  expect(git(m.dir, 'rev-parse', 'HEAD')).toBe(m.head);
  expect(git(m.dir, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
  expect(git(m.dir, 'status', '--porcelain')).toBe(m.status);
}

describe('tack mount', () => {
  it('checks the store branch out where every command sees an uncommitted edit at once', () => {
    const m = mounted();
    expect(m.mount).toBe(join(git(m.dir, 'rev-parse', '--path-format=absolute', '--git-common-dir'), 'tack', 'mount'));
    expect(git(m.mount, 'symbolic-ref', 'HEAD')).toBe('refs/heads/tack');
    expect(existsSync(m.file)).toBe(true);
    writeFileSync(m.file, readFileSync(m.file, 'utf8').replace('title: Mounted ticket', 'title: Retitled in vim'));
    const shown = tackJson(m.dir, 'show', m.id);
    expect(shown.title).toBe('Retitled in vim');
    expect(shown.dirty).toBe(true);
    expect(tackJson<any[]>(m.dir, 'list').map((t) => t.title)).toEqual(['Retitled in vim']);
    expect(tackJson(m.dir, 'mount').message).toMatch(/already mounted/);
    expect(tackJson(m.dir, 'status').pending).toEqual([`tickets/${m.id}.md`]);
    expectMainUntouched(m);
  });

  it('tack commit commits valid edits in one commit and leaves an invalid file uncommitted, named with its line', () => {
    const m = mounted();
    const other = tackJson(m.dir, 'create', 'Second').id as string;
    const otherFile = join(m.mount, 'tickets', `${other}.md`);
    const before = git(m.dir, 'rev-parse', 'tack');
    writeFileSync(m.file, readFileSync(m.file, 'utf8').replace('title: Mounted ticket', 'title: Edited one'));
    writeFileSync(join(m.mount, 'docs-note.md'), 'ignored: not a store path\n');
    const broken = '---\nid: x\ntitle: [unclosed\n---\nbody\n';
    writeFileSync(otherFile, broken);
    const r = tackRaw(m.dir, ['commit']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`tickets/${other}\\.md:\\d+: `));
    expect(r.stdout).toBe('');
    const after = git(m.dir, 'rev-parse', 'tack');
    expect(git(m.dir, 'rev-parse', 'tack~1')).toBe(before);
    expect(git(m.dir, 'log', '-1', '--format=%B', 'tack')).toMatch(/Tack-Op: edit/);
    expect(git(m.dir, 'show', `tack:tickets/${m.id}.md`)).toMatch(/title: Edited one/);
    expect(git(m.dir, 'show', `tack:tickets/${other}.md`)).toMatch(/title: Second/);
    expect(readFileSync(otherFile, 'utf8')).toBe(broken);
    // The mount's own index follows the commit: only the broken file is still pending.
    expect(git(m.mount, 'status', '--porcelain', '--untracked-files=no')).toBe(`M tickets/${other}.md`);
    expect(tackFail(m.dir, 'commit').error.code).toBe('check_failed');
    expect(git(m.dir, 'rev-parse', 'tack')).toBe(after);
    expectMainUntouched(m);
  });

  it('a write from the CLI updates a clean mounted file and merges into one with uncommitted edits', () => {
    const m = mounted();
    const other = tackJson(m.dir, 'create', 'Clean one').id as string;
    const otherFile = join(m.mount, 'tickets', `${other}.md`);
    expect(readFileSync(otherFile, 'utf8')).toMatch(/title: Clean one/); // a create shows up in the mount
    tack(m.dir, 'update', other, '--title', 'Clean one, updated');
    expect(readFileSync(otherFile, 'utf8')).toMatch(/title: Clean one, updated/);

    writeFileSync(
      m.file,
      readFileSync(m.file, 'utf8').replace('First line.', 'First line.\nA line typed in the editor.'),
    );
    tack(m.dir, 'update', m.id, '--priority', 'high', '--title', 'Changed by the CLI');
    const text = readFileSync(m.file, 'utf8');
    expect(text).toMatch(/A line typed in the editor\./);
    expect(text).toMatch(/priority: high/);
    expect(text).toMatch(/title: Changed by the CLI/);
    expect(git(m.dir, 'show', `tack:tickets/${m.id}.md`)).not.toMatch(/typed in the editor/);
    // Still an uncommitted edit against the new head, and nothing else is.
    expect(git(m.mount, 'status', '--porcelain')).toBe(`M tickets/${m.id}.md`);
    expect(tackJson(m.dir, 'show', m.id).dirty).toBe(true);
    tack(m.dir, 'commit');
    expect(git(m.dir, 'show', `tack:tickets/${m.id}.md`)).toMatch(/typed in the editor/);
    expect(git(m.mount, 'status', '--porcelain')).toBe('');
    expectMainUntouched(m);
  });

  it("a write waits out a moment's hold on the mount's index (a git status there) instead of failing after its commit", async () => {
    const m = mounted();
    const lock = join(git(m.mount, 'rev-parse', '--absolute-git-dir'), 'index.lock');
    writeFileSync(lock, '');
    const released = new Promise<void>((r) =>
      setTimeout(() => {
        rmSync(lock);
        r();
      }, 400),
    );
    const res = await tackAsync(m.dir, ['update', m.id, '--priority', 'high', '--json']);
    await released;
    expect(res.status, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).changed).toBe(true);
    expect(readFileSync(m.file, 'utf8')).toMatch(/priority: high/);
    expect(git(m.mount, 'status', '--porcelain')).toBe('');
  });

  it("tack sync brings another clone's changes into the mount, merged with uncommitted edits", () => {
    const { clone } = remoteWithStore(cleanup);
    const a = clone();
    const b = clone();
    const id = tackJson(a, 'create', 'Shared', '--description', 'Shared body.').id as string;
    tack(a, 'sync');
    tack(b, 'sync');
    const mount = tackJson(b, 'mount').mount as string;
    const file = join(mount, 'tickets', `${id}.md`);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('Shared body.', 'Shared body.\nEdited in b, not committed.'),
    );
    tack(a, 'update', id, '--priority', 'urgent');
    const newer = tackJson(a, 'create', 'Made in a').id as string;
    tack(a, 'sync');
    tack(b, 'sync');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/priority: urgent/);
    expect(text).toMatch(/Edited in b, not committed\./);
    expect(readFileSync(join(mount, 'tickets', `${newer}.md`), 'utf8')).toMatch(/title: Made in a/);
    expect(git(mount, 'status', '--porcelain')).toBe(`M tickets/${id}.md`);
  });

  it('tack commit also commits hand edits of an inline store, and says when there is nothing to do', () => {
    const repo = tempStore({ inline: true, prefix: 'tack-commit-inline-' });
    cleanup(repo.cleanup);
    const id = tackJson(repo.dir, 'create', 'Inline').id as string;
    expect(tackJson(repo.dir, 'commit').message).toBe('no uncommitted edits');
    const file = join(repo.dir, '.tack', 'tickets', `${id}.md`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('title: Inline', 'title: Inline, by hand'));
    const res = tackJson(repo.dir, 'commit');
    expect(res.committed).toEqual([`.tack/tickets/${id}.md`]);
    expect(git(repo.dir, 'rev-parse', 'HEAD')).toBe(res.commit);
    expect(git(repo.dir, 'status', '--porcelain')).toBe('');
  });

  it('tack unmount refuses while edits are pending, unless --force', () => {
    const m = mounted();
    writeFileSync(m.file, `${readFileSync(m.file, 'utf8')}pending\n`);
    expect(tackFail(m.dir, 'unmount').error.code).toBe('conflict');
    expect(existsSync(m.file)).toBe(true);
    tack(m.dir, 'unmount', '--force');
    expect(existsSync(m.mount)).toBe(false);
    expect(tackJson(m.dir, 'show', m.id).dirty).toBe(false);
    expect(tackJson(m.dir, 'show', m.id).description).not.toMatch(/pending/);
    expect(git(m.dir, 'worktree', 'list')).not.toMatch(/tack\/mount/);
    expectMainUntouched(m);
  });
});
