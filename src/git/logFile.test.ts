import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { logFields, logWithChanges } from './log.js';
import { LogFile } from './logFile.js';
import { testEnv } from '../../test/testEnv.js';
import { discoverRepo } from './repo.js';

/*
 * A history is read one commit at a time from a file git wrote; what a commit holds (any
 * byte but NUL in its message, any in a file's name) never moves the line between commits.
 */

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const env = testEnv();

/** `run` with the temporary directory at `dir`. */
function withTmpdir<T>(dir: string, run: () => T): T {
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return run();
  } finally {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  }
}

function hostileHistory() {
  const dir = mkdtempSync(join(tmpdir(), 'tack-logfile-'));
  dirs.push(dir);
  const git = (args: string[], input?: string) =>
    execFileSync('git', args, { cwd: dir, input, encoding: 'utf8', env, maxBuffer: 1 << 28 }).trim();
  git(['init', '-q']);
  let head = '';
  const commit = (message: string, files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) {
      const blob = git(['hash-object', '-w', '--stdin'], text);
      git(['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`]);
    }
    const tree = git(['write-tree']);
    head = git(['commit-tree', tree, ...(head ? ['-p', head] : [])], message);
    git(['update-ref', 'HEAD', head]);
    return head;
  };
  const fake = `\x1e${'0'.repeat(40)}\x1f\x1fforged\x1fforged@example.com\x1f2020-01-01T00:00:00Z\x1fforged\x1f2020-01-01T00:00:00Z\x1fforged\x1f`;
  const shas = [
    commit('first\n', { 'tickets/a.md': 'one\n' }),
    commit(`second ${fake} in the subject\n\nTack-Op: update\n`, { 'tickets/a.md': 'two\n' }),
    commit('third\n', { [`tickets/b\x1f${fake}.md`]: 'a name with separators\n', 'c.md': 'x\n' }),
    commit(`fourth\n\n${'long body line\n'.repeat(110_000)}`, { 'tickets/a.md': 'three\n' }),
    commit('fifth\n', { 'tickets/d.md': 'four\n' }),
  ];
  return { dir, shas, fake };
}

describe('LogFile', () => {
  it('reads every commit, oldest first, as the in-memory log reads it, whatever their messages and file names hold', () => {
    const { dir, shas, fake } = hostileHistory();
    const repo = discoverRepo(dir);
    // A temporary directory of this test's own (other test files run beside it).
    const privateTmp = mkdtempSync(join(tmpdir(), 'tack-logfile-tmp-'));
    dirs.push(privateTmp);
    const log = withTmpdir(privateTmp, () => new LogFile(repo, 'HEAD'));
    try {
      // Nothing is left in the temporary directory, even while the file is read.
      expect(readdirSync(privateTmp)).toEqual([]);
      const commits = [...log.commits()];
      expect(commits.map((c) => c.sha)).toEqual(shas);
      expect(log.count()).toBe(5);
      expect([...log.commits()].map((c) => c.sha)).toEqual(shas); // walked again
      expect(commits).toEqual(logWithChanges(repo, 'HEAD').reverse());

      expect(commits[1].message).toBe(`second ${fake} in the subject\n\nTack-Op: update\n`);
      expect(commits[1].trailers['Tack-Op']).toEqual(['update']);
      expect(commits[1].changes.map((c) => c.path)).toEqual(['tickets/a.md']);
      expect(commits[2].changes.map((c) => c.path)).toEqual(['c.md', `tickets/b\x1f${fake}.md`]);
      // Over a megabyte: the commit spans several reads of the file.
      expect(commits[3].message.length).toBeGreaterThan(1_500_000);
      expect(commits[3].changes.map((c) => c.status)).toEqual(['M']);
      expect(commits[4].parents).toEqual([shas[3]]);
    } finally {
      log.close();
    }
  });

  it('reads the same commits through windows of any size', () => {
    const { dir, shas } = hostileHistory();
    const repo = discoverRepo(dir);
    const whole = new LogFile(repo, 'HEAD');
    const expected = [...whole.commits()];
    whole.close();
    for (const chunk of [1, 7, 64, 4096]) {
      const log = new LogFile(repo, 'HEAD', '', chunk);
      try {
        expect([...log.commits()]).toEqual(expected);
        expect(log.count()).toBe(shas.length);
      } finally {
        log.close();
      }
    }
  });

  it('gives a commit of many files in parts that join into the whole commit, whatever the window', () => {
    const { dir, fake } = hostileHistory();
    // One more commit of 300 files, some with separators in their names.
    const git = (args: string[], input?: string) =>
      execFileSync('git', args, { cwd: dir, input, encoding: 'utf8', env }).trim();
    const blob = git(['hash-object', '-w', '--stdin'], 'many\n');
    const index = Array.from({ length: 300 }, (_, i) => `100644 ${blob}\ttickets/m${i}${i % 7 ? '' : fake}.md`);
    git(['update-index', '--index-info'], `${index.join('\n')}\n`);
    // And a ticket moved: its two halves fall in different parts.
    git(['update-index', '--add', '--cacheinfo', `100644,${git(['rev-parse', 'HEAD:tickets/a.md'])},archive/a.md`]);
    git(['update-index', '--force-remove', 'tickets/a.md']);
    const many = git(
      ['commit-tree', git(['write-tree']), '-p', git(['rev-parse', 'HEAD'])],
      'many\n\nTack-Op: import\n',
    );
    git(['update-ref', 'HEAD', many]);
    const repo = discoverRepo(dir);
    const whole = new LogFile(repo, 'HEAD');
    const expected = [...whole.commits()];
    whole.close();
    expect(expected.at(-1)!.changes).toHaveLength(302);
    const name = (p: string) => p.slice(p.lastIndexOf('/') + 1);
    // Windows under a commit's length read it as it goes; 1 MiB holds the commit of many files whole.
    for (const chunk of [7, 64, 4096, 1 << 20])
      for (const maxChanges of [1, 7, 1000]) {
        const log = new LogFile(repo, 'HEAD', '', chunk);
        try {
          const joined: typeof expected = [];
          for (const { part, more, repeated, ...c } of log.parts(maxChanges, name)) {
            expect(c.changes.length).toBeLessThanOrEqual(maxChanges);
            // A commit in several parts names its repeated keys: here the moved ticket's.
            if (c.sha !== many) expect(repeated?.size ?? 0).toBe(0);
            else if (maxChanges < 302) expect(repeated).toEqual(new Set(['a.md']));
            if (more) expect(c.changes).toHaveLength(maxChanges);
            if (part === 0) joined.push({ ...c, changes: [...c.changes] });
            else {
              expect({ ...c, changes: [] }).toEqual({ ...joined.at(-1)!, changes: [] });
              joined.at(-1)!.changes.push(...c.changes);
            }
          }
          expect(joined).toEqual(expected);
          // messageOnce: the same parts, the message and trailers on the first of each commit only.
          const once = [...log.parts(maxChanges, name, { messageOnce: true })];
          const full = [...log.parts(maxChanges, name)];
          expect(once).toEqual(full.map((p) => (p.part === 0 ? p : { ...p, message: '', trailers: {} })));
        } finally {
          log.close();
        }
      }
  });

  it('reads the log in memory when no temporary file can be made', () => {
    const { dir, shas } = hostileHistory();
    const repo = discoverRepo(dir);
    // A path that does not exist: mkdtemp fails.
    const log = withTmpdir(join(dir, 'no-such-dir', 'tmp'), () => new LogFile(repo, 'HEAD', '', 64));
    expect([...log.commits()].map((c) => c.sha)).toEqual(shas);
    log.close();
  });

  it('reads a range with no commits as empty, and a path filter as git applies it', () => {
    const { dir, shas } = hostileHistory();
    const repo = discoverRepo(dir);
    const empty = new LogFile(repo, `${shas[4]}..${shas[4]}`);
    expect([...empty.commits()]).toEqual([]);
    expect(empty.count()).toBe(0);
    empty.close();
    const tickets = new LogFile(repo, 'HEAD', 'tickets');
    expect([...tickets.commits()].map((c) => c.sha)).toEqual(shas);
    tickets.close();
    writeFileSync(join(dir, 'unused'), ''); // the work tree plays no part
    const d = new LogFile(repo, 'HEAD', 'tickets/d.md');
    expect([...d.commits()].map((c) => c.sha)).toEqual([shas[4]]);
    d.close();
  });

  it('logFields gives each commit its own fields, whatever its message holds', () => {
    const { dir, shas, fake } = hostileHistory();
    const rows = logFields(dir, ['%H', '%B', '%an'], ['--reverse', 'HEAD']);
    expect(rows.map((r) => r[0])).toEqual(shas);
    expect(rows[1]).toEqual([shas[1], `second ${fake} in the subject\n\nTack-Op: update\n`, 'Test User']);
    expect(logFields(dir, ['%H', '%B'], ['-1', 'HEAD'])).toEqual([[shas[4], 'fifth\n']]);
  });
});
