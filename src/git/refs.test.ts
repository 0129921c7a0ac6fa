import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { casRef, readRef, reflogReason } from './refs.js';
import { discoverRepo } from './repo.js';
import { testEnv } from '../../test/testEnv.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('casRef', () => {
  it('moves a ref whatever its reason holds: 200 KB of it (a bulk close names every ticket), a NUL, line breaks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tack-refs-'));
    dirs.push(dir);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: testEnv(), encoding: 'utf8' }).trim();
    git('init', '-q');
    git('commit', '-q', '--allow-empty', '-m', 'one');
    const one = git('rev-parse', 'HEAD');
    git('commit', '-q', '--allow-empty', '-m', 'two');
    const two = git('rev-parse', 'HEAD');
    const repo = discoverRepo(dir);
    const reason = `tack: close ${Array.from({ length: 17_000 }, (_, i) => `tk-${i}`).join(', ')}\0\nforged: line`;
    expect(casRef(repo, 'refs/heads/bulk', one, null, reason)).toBe(true);
    expect(casRef(repo, 'refs/heads/bulk', two, one, reason)).toBe(true);
    expect(readRef(repo, 'refs/heads/bulk')).toBe(two);
    const logged = git('reflog', 'show', '--format=%gs', 'refs/heads/bulk').split('\n');
    expect(logged).toHaveLength(2);
    expect(logged[0]).toBe(reflogReason(reason));
    expect(logged[0].length).toBeLessThanOrEqual(1000);
    expect(logged[0].startsWith('tack: close tk-0, tk-1')).toBe(true);
  });

  it('a reason is one line without control characters', () => {
    expect(reflogReason('tack: a\nb\0c\td')).toBe('tack: a b c d');
    expect(reflogReason('short')).toBe('short');
  });
});
