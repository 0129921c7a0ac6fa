import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { gitPerson } from './identity.js';

const dir = mkdtempSync(join(tmpdir(), 'tack-ident-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const baseEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
spawnSync('git', ['init', '-q'], { cwd: dir, env: baseEnv });
const tree = spawnSync('git', ['mktree'], { cwd: dir, env: baseEnv, input: '', encoding: 'utf8' }).stdout.trim();

/** The author line git itself writes for this name and email, or null when git refuses them. */
function gitAuthor(name: string, email: string): string | null {
  const env = {
    ...baseEnv,
    GIT_AUTHOR_NAME: name,
    GIT_AUTHOR_EMAIL: email,
    GIT_COMMITTER_NAME: 'c',
    GIT_COMMITTER_EMAIL: 'c@x',
    GIT_AUTHOR_DATE: '1700000000 +0000',
  };
  const res = spawnSync('git', ['commit-tree', tree, '-m', 'x'], { cwd: dir, env, encoding: 'utf8' });
  if (res.status !== 0) return null;
  const body = spawnSync('git', ['cat-file', 'commit', res.stdout.trim()], { cwd: dir, env, encoding: 'utf8' }).stdout;
  return /^author (.*) 1700000000 \+0000$/m.exec(body)![1];
}

function tackAuthor(name: string, email: string): string | null {
  try {
    const p = gitPerson(name, email);
    return `${p.name} <${p.email}>`;
  } catch (e) {
    expect(e).toMatchObject({ code: 'git_identity_missing' });
    return null;
  }
}

describe('identities as git records them', () => {
  it('match git commit-tree for odd names and emails', () => {
    const picked: Array<[string, string]> = [
      ['A U Thor', '<a@b>'],
      ['<A> U <Thor>', 'a@b'],
      ['Zoë "Z" Ünïcode', 'z@x'],
      ['  Jo, ', ' <<a@b>>, '],
      ['', 'a@b'],
      ['<>', 'a@b'],
      [' , ', 'a@b'],
      ['Jo', ''],
      ['Jo', '<>'],
      ['Jo\nDo', 'a\n@b'],
      ['"Jo"', "'a@b'"],
      ['Jo;:', ';a@b:'],
    ];
    for (const [n, e] of picked) expect({ n, e, line: tackAuthor(n, e) }).toEqual({ n, e, line: gitAuthor(n, e) });
    const ch = fc.constantFrom(' ', ',', ':', ';', '<', '>', '"', '\\', "'", '\n', '\t', 'a', 'é', '@', '-');
    const text = fc.array(ch, { maxLength: 6 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, text, (n, e) => {
        expect(tackAuthor(n, e)).toBe(gitAuthor(n, e));
      }),
      { numRuns: 150 },
    );
  });

  it('keep dots at the ends, as git does since 2.42 ("Jr.")', () => {
    // Older git trimmed them as crud; either way the commit passes fsck.
    expect(gitPerson('Jo Do Jr.', '.a@b.')).toEqual({ name: 'Jo Do Jr.', email: '.a@b.' });
  });
});
