import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveCatFile } from './liveCatFile.js';
import { discoverRepo } from './repo.js';

let dir: string;
let reader: LiveCatFile;
const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, encoding: 'utf8', stdio: 'pipe' }).trim();

/** Commit `files` (path → content) on top of HEAD; returns the commit's id. */
function commit(files: Record<string, string | Buffer>): string {
  for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
  git('add', '-A');
  git('-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'c');
  return git('rev-parse', 'HEAD');
}

/** Handles that keep this process alive, by kind (a child and its pipes while git is asked). */
const holding = () => process.getActiveResourcesInfo().filter((r) => r === 'ProcessWrap' || r === 'PipeWrap').length;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tack-livecat-'));
  git('init', '-q', '-b', 'main');
  reader = new LiveCatFile(discoverRepo(dir), 4 * 1024 * 1024);
});
afterEach(() => {
  reader.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('LiveCatFile', () => {
  it('answers request after request from one git, in order, with null for what git has not', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 7, 'x\n\0');
    const c1 = commit({ 'a.md': 'alpha\n', 'odd name.md': 'spaces\n', 'big.bin': big });
    const [a, missing, odd, bin, tree] = await reader.read([
      `${c1}:a.md`,
      `${c1}:nope.md`,
      `${c1}:odd name.md`,
      `${c1}:big.bin`,
      `${c1}^{tree}`,
    ]);
    expect(a).toEqual({ sha: git('rev-parse', `${c1}:a.md`), type: 'blob', body: Buffer.from('alpha\n') });
    expect(missing).toBeNull();
    expect(odd?.body.toString()).toBe('spaces\n');
    expect(bin?.body.equals(big)).toBe(true);
    expect(tree?.type).toBe('tree');
    // Objects written after git started, by another process, are found too.
    const c2 = commit({ 'a.md': 'alpha two\n' });
    const [later, earlier] = await reader.read([`${c2}:a.md`, `${c1}:a.md`]);
    expect(later?.body.toString()).toBe('alpha two\n');
    expect(earlier?.body.toString()).toBe('alpha\n');
  });

  it('answers null for an object over its bound, passing its bytes over, and reads on', async () => {
    const c = commit({ 'huge.md': Buffer.alloc(6 * 1024 * 1024, 'y'), 'after.md': 'after\n' });
    const [huge, after, again] = await reader.read([`${c}:huge.md`, `${c}:after.md`, `${c}:huge.md`]);
    expect(huge).toBeNull();
    expect(again).toBeNull();
    expect(after?.body.toString()).toBe('after\n');
  });

  it('keeps requests made together apart', async () => {
    const c = commit({ 'a.md': 'A\n', 'b.md': 'B\n' });
    const [one, two] = await Promise.all([reader.read([`${c}:a.md`, `${c}:b.md`]), reader.read([`${c}:b.md`])]);
    expect(one.map((o) => o?.body.toString())).toEqual(['A\n', 'B\n']);
    expect(two.map((o) => o?.body.toString())).toEqual(['B\n']);
  });

  it('holds this process open only while a request waits', async () => {
    const c = commit({ 'a.md': 'A\n' });
    const before = holding();
    const answer = reader.read([`${c}:a.md`]);
    expect(holding()).toBeGreaterThan(before);
    await answer;
    expect(holding()).toBe(before);
  });

  it('fails the waiting request when git dies, and starts a new git for the next one', async () => {
    const c = commit({ 'a.md': 'A\n' });
    await reader.read([`${c}:a.md`]);
    const pid = (reader as unknown as { child: { pid: number } }).child.pid;
    process.kill(pid, 'SIGSTOP');
    const waiting = reader.read([`${c}:a.md`]);
    process.kill(pid, 'SIGKILL');
    await expect(waiting).rejects.toMatchObject({ code: 'git_failed', message: /git cat-file --batch ended/ });
    const [again] = await reader.read([`${c}:a.md`]);
    expect(again?.body.toString()).toBe('A\n');
  });

  it('refuses a name that would be read as two', () => {
    expect(() => reader.read(['HEAD:a\nHEAD:b'])).toThrow(/line break/);
  });
});
