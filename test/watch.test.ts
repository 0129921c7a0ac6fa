import { spawn } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, TACK_BIN, tackFail, tackJson, tempStore, testEnv, trackCleanups, waitFor } from './helpers.js';
import { openEvents, startServe } from './serverHarness.js';

const cleanup = trackCleanups();

/** Save the way vim does by default: write a new file, then rename it over the old one. */
function renameSave(file: string, text: string): void {
  const tmp = `${file}.tmp-save`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** `tack watch` as a child process; resolves once it says what it watches. */
function startWatch(cwd: string, args: string[]): Promise<{ output: () => string; stop: () => Promise<void> }> {
  const proc = spawn(process.execPath, [TACK_BIN, 'watch', ...args], { cwd, env: testEnv() });
  let out = '';
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tack watch did not start: ${out}`)), 10_000);
    proc.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (/watching /.test(out)) {
        clearTimeout(timer);
        resolve({ output: () => out, stop });
      }
    });
    proc.on('exit', (code) => reject(new Error(`tack watch exited ${code}: ${out}`)));
  });
}

const until = <T>(what: string, fn: () => T | null | undefined | false, ms = 8000) => waitFor(what, fn, ms);

describe('tack watch', () => {
  it('commits a vim-style rename-save in the mount after the idle delay, and leaves a broken file alone', async () => {
    const repo = tempStore({ prefix: 'tack-watch-' });
    cleanup(repo.cleanup);
    expect(tackFail(repo.dir, 'watch').error.message).toMatch(/tack mount/);
    const id = tackJson(repo.dir, 'create', 'Watched').id as string;
    const mount = tackJson(repo.dir, 'mount').mount as string;
    const mainHead = git(repo.dir, 'rev-parse', 'HEAD');
    const w = await startWatch(repo.dir, ['--idle', '300ms']);
    cleanup(() => void w.stop());
    const file = join(mount, 'tickets', `${id}.md`);
    const before = git(repo.dir, 'rev-parse', 'tack');

    const edited = readFileSync(file, 'utf8').replace('title: Watched', 'title: Saved by vim');
    renameSave(file, edited);
    const after = await until('the commit', () => {
      const head = git(repo.dir, 'rev-parse', 'tack');
      return head !== before && head;
    });
    expect(git(repo.dir, 'rev-parse', `${after}~1`)).toBe(before);
    expect(git(repo.dir, 'log', '-1', '--format=%B', 'tack')).toMatch(/Tack-Op: edit/);
    expect(git(repo.dir, 'show', `tack:tickets/${id}.md`)).toBe(edited.trimEnd());
    // The ref moves first, then the writer brings the mount's index along: wait for that.
    await until('the mount to be clean', () => git(mount, 'status', '--porcelain') === '');
    await until('the report', () => /committed /.test(w.output()));

    const broken = '---\ntitle: [unclosed\n---\nbody\n';
    renameSave(file, broken);
    await until('the problem report', () => new RegExp(`not committed: tickets/${id}\\.md:\\d+`).test(w.output()));
    expect(git(repo.dir, 'rev-parse', 'tack')).toBe(after);
    expect(readFileSync(file, 'utf8')).toBe(broken);
    expect(git(repo.dir, 'rev-parse', 'HEAD')).toBe(mainHead);
    expect(git(repo.dir, 'status', '--porcelain')).toBe('');
    await w.stop();

    // Without --idle, git config tack.commit.idle sets the delay.
    git(repo.dir, 'config', 'tack.commit.idle', '250ms');
    const w2 = await startWatch(repo.dir, []);
    cleanup(() => void w2.stop());
    expect(w2.output()).toMatch(/commits after 250 ms/);
    await w2.stop();
  });

  it('tack serve picks the mount up: a rename-save there is an event at once and a commit after the idle delay', async () => {
    const repo = tempStore({ prefix: 'tack-serve-mount-' });
    cleanup(repo.cleanup);
    const id = tackJson(repo.dir, 'create', 'Served').id as string;
    const mount = tackJson(repo.dir, 'mount').mount as string;
    const srv = await startServe(repo.dir, ['--idle', '300ms']);
    cleanup(() => void srv.stop());
    const sse = await openEvents(srv.url);
    cleanup(() => sse.close());
    const file = join(mount, 'tickets', `${id}.md`);
    renameSave(file, readFileSync(file, 'utf8').replace('title: Served', 'title: Served, edited'));
    await sse.waitFor((e) => e.event === 'updated' && e.data.ticket === id && e.data.uncommitted === true);
    const committed = await sse.waitFor(
      (e) => e.event === 'updated' && e.data.ticket === id && e.data.commit !== null,
      5000,
    );
    expect(committed.data.op).toBe('edit');
    expect(git(repo.dir, 'rev-parse', 'tack')).toBe(committed.data.commit);
    expect(git(mount, 'status', '--porcelain')).toBe('');
  });
});
