import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { assertGitPath, fileDirClash, gitPathRule } from './gitPath.js';

const dir = mkdtempSync(join(tmpdir(), 'tack-gitpath-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const git = (args: string[], input?: string | Buffer) =>
  execFileSync('git', args, { cwd: dir, input, env }).toString('utf8').trim();
git(['init', '-q']);
const blob = git(['hash-object', '-w', '--stdin'], 'x\n');
const emptyTree = git(['hash-object', '-w', '-t', 'tree', '--stdin'], '');

/** A tree with one entry named `name` (as git would never write it itself: --literally). */
function treeWith(name: string, asDir: boolean): string {
  const entry = Buffer.concat([
    Buffer.from(`${asDir ? '40000' : '100644'} ${name}\0`, 'utf8'),
    Buffer.from(asDir ? emptyTree : blob, 'hex'),
  ]);
  return git(['hash-object', '-w', '-t', 'tree', '--literally', '--stdin'], entry);
}

/** Each tree's errors from one `git fsck --strict` run: tree id → fsck message ids. */
function fsckErrors(): Map<string, string[]> {
  const res = spawnSync('git', ['fsck', '--strict', '--no-dangling'], { cwd: dir, env, encoding: 'utf8' });
  const out = new Map<string, string[]>();
  for (const m of res.stderr.matchAll(/error in tree ([0-9a-f]+): (\w+)/g))
    out.set(m[1], [...(out.get(m[1]) ?? []), m[2]]);
  return out;
}

const DOTGIT_FAMILY = ['hasDotgit', 'hasDot', 'hasDotdot', 'emptyName', 'fullPathname'];

describe('gitPathRule agrees with git fsck --strict', () => {
  it('on hand-picked aliases and on generated names', () => {
    const picked = [
      '.git',
      '.GIT',
      '.Git',
      'git~1',
      'GIT~1',
      'git~2',
      '.git.',
      '.git ',
      '.git. .',
      '.git::$INDEX_ALLOCATION',
      '.git:x',
      '.g\u200cit',
      '\u200e.git',
      '.gi\ufefft',
      '.git\u200d',
      '.gi\u212at',
      '.github',
      '.gitkeep',
      '.gitx',
      'gitx~1',
      '.',
      '..',
      '...',
      '',
      '.gitmodules',
      '.GITMODULES',
      'gitmod~1',
      'gi7eba~1',
      '.gitmodules .',
      '.gitattributes',
      'gitatt~2',
      'gi7d29~1',
      'a',
      'a.md',
      'x\\.git',
      'é',
    ];
    const pieces = fc.constantFrom(
      '.',
      'g',
      'G',
      'i',
      't',
      'T',
      '~',
      '1',
      ' ',
      ':',
      '\u200c',
      '\ufeff',
      'm',
      'o',
      'd',
      'u',
      'l',
      'e',
      's',
      'x',
    );
    const start = fc.constantFrom(
      '',
      '.',
      '.g',
      '.git',
      '.G\u200cIT',
      'git~',
      'gi',
      '.gitmod',
      'gitmod~',
      '.gitattrib',
    );
    const generated = fc.sample(
      fc.tuple(start, fc.array(pieces, { maxLength: 5 })).map(([s, a]) => s + a.join('')),
      { numRuns: 300, seed: 12 },
    );
    const names = [...new Set([...picked, ...generated])];
    const trees = names.map((n) => ({ name: n, file: treeWith(n, false), dir: treeWith(n, true) }));
    const errors = fsckErrors();
    let refusedByGit = 0;
    for (const t of trees) {
      const asFile = errors.get(t.file) ?? [];
      const asDir = errors.get(t.dir) ?? [];
      // The names fsck checks by name alone: exact agreement (an empty name is a badTree to it).
      const fileRule = gitPathRule(`docs/${t.name}`);
      const gitFile =
        t.name === '' && asFile.includes('badTree')
          ? 'emptyName'
          : (asFile.find((e) => DOTGIT_FAMILY.includes(e)) ?? null);
      // (Tack refuses every backslash, fsck only those hiding a .git.)
      if (!t.name.includes('\\'))
        expect({ name: t.name, rule: DOTGIT_FAMILY.includes(fileRule ?? '') ? fileRule : null }).toEqual({
          name: t.name,
          rule: gitFile,
        });
      // Anything fsck refuses, Tack refuses too (as a file name and as a directory name).
      if (asFile.length) expect(gitPathRule(`docs/${t.name}`), t.name).not.toBeNull();
      if (asDir.length) expect(gitPathRule(`docs/${t.name}/x.md`), t.name).not.toBeNull();
      if (asFile.length || asDir.length) refusedByGit++;
    }
    expect(refusedByGit).toBeGreaterThan(20);
  });
});

describe('gitPathRule', () => {
  it('names the rule for each kind of bad path', () => {
    expect(gitPathRule('docs/specs/parser.md')).toBeNull();
    expect(gitPathRule('.tack/tickets/tk-1.md')).toBeNull();
    expect(gitPathRule('.gitattributes')).toBeNull(); // Tack's own: a blob, which fsck accepts
    expect(gitPathRule('')).toBe('emptyPath');
    expect(gitPathRule('/docs/a.md')).toBe('fullPathname');
    expect(gitPathRule('docs//a.md')).toBe('emptyName');
    expect(gitPathRule('docs/a.md/')).toBe('emptyName');
    expect(gitPathRule('docs/./a.md')).toBe('hasDot');
    expect(gitPathRule('docs/../a.md')).toBe('hasDotdot');
    expect(gitPathRule('docs/.GIT/a.md')).toBe('hasDotgit');
    expect(gitPathRule('docs/a\\b.md')).toBe('backslash');
    expect(gitPathRule('docs/a\0.md')).toBe('nulInPath');
    expect(gitPathRule('docs/\ud800.md')).toBe('badUtf8');
    expect(gitPathRule(`docs/${'x'.repeat(4097)}.md`)).toBe('largePathname');
    expect(gitPathRule('docs/.gitattributes/a.md')).toBe('gitattributesName');
    expect(gitPathRule('docs/.gitmodules')).toBe('gitmodulesName');
  });

  it('refuses with a typed error naming the path and the rule', () => {
    try {
      assertGitPath('docs/git~1/a.md');
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'invalid_input', details: { received: 'docs/git~1/a.md', rule: 'hasDotgit' } });
      expect(String((e as Error).message)).toContain('docs/git~1/a.md');
    }
  });

  it('finds a file that another written path needs as a directory', () => {
    expect(fileDirClash(['docs/a.md', 'docs/a.md-notes.md'])).toBeNull();
    expect(fileDirClash(['docs/a.md', 'docs/a.md/x.md'])).toEqual({ file: 'docs/a.md', under: 'docs/a.md/x.md' });
    expect(fileDirClash(['a/b/c', 'a'])).toEqual({ file: 'a', under: 'a/b/c' });
  });
});
