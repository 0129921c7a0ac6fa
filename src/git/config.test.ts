import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigFast } from './config.js';
import { discoverRepo, type Repo } from './repo.js';

let dir: string;
let repo: Repo;
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1' };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tack-config-'));
  execFileSync('git', ['init', '-q'], { cwd: dir });
  repo = discoverRepo(dir);
  process.env.GIT_CONFIG_GLOBAL = join(dir, 'global');
  process.env.GIT_CONFIG_NOSYSTEM = '1';
});
afterAll(() => {
  delete process.env.GIT_CONFIG_GLOBAL;
  rmSync(dir, { recursive: true, force: true });
});

/** What git itself answers, for comparison. */
function gitSays(key: string): string | null {
  try {
    return execFileSync('git', ['config', key], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...env, GIT_CONFIG_GLOBAL: join(dir, 'global') },
    }).trim();
  } catch {
    return null;
  }
}

describe('readConfigFast', () => {
  it('reads what git reads: local over global, quotes, comments, subsections', () => {
    writeFileSync(join(dir, 'global'), '[user]\n\tname = Global Name\n\temail = g@example.com\n');
    writeFileSync(
      join(dir, '.git', 'config'),
      [
        '[core]',
        '\trepositoryformatversion = 0',
        '[User]',
        '\tname = "Zoë \\"Z\\" Local" ; a comment',
        '[merge "tack"]',
        '\tdriver = tack merge-file %O %A %B %P',
        '',
      ].join('\n'),
    );
    for (const [section, key] of [
      ['user', 'name'],
      ['user', 'email'],
      ['merge.tack', 'driver'],
      ['merge.other', 'driver'],
    ] as const) {
      expect(readConfigFast(repo, section, key)).toBe(gitSays(`${section}.${key}`));
    }
  });

  it('leaves includes to git', () => {
    writeFileSync(join(dir, '.git', 'config'), '[include]\n\tpath = other\n');
    expect(readConfigFast(repo, 'user', 'name')).toBeUndefined();
  });

  it('answers from a changed file, whether git renamed a new one over it or it was edited in place', () => {
    writeFileSync(join(dir, '.git', 'config'), '[core]\n\trepositoryformatversion = 0\n'); // no include left by a test above
    writeFileSync(join(dir, 'global'), '[core]\n\tcolour = one\n');
    expect(readConfigFast(repo, 'core', 'colour')).toBe('one');
    execFileSync('git', ['config', '--global', 'core.colour', 'two'], {
      cwd: dir,
      env: { ...env, GIT_CONFIG_GLOBAL: join(dir, 'global') },
    });
    expect(readConfigFast(repo, 'core', 'colour')).toBe('two');
    writeFileSync(join(dir, 'global'), '[core]\n\tcolour = six\n'); // same size, same inode
    expect(readConfigFast(repo, 'core', 'colour')).toBe('six');
    rmSync(join(dir, 'global'));
    expect(readConfigFast(repo, 'core', 'colour')).toBeNull();
  });
});
