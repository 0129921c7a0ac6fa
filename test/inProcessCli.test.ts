import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tackProcess, tackRaw, tempStore } from './helpers.js';
import { inProcess } from './inProcessCli.js';

// The helpers run most commands in-process (test/inProcessCli.ts): what a test sees must be
// what a process would have shown it, and no command may see another's cwd, environment or stdin.
describe('the in-process CLI of the tests answers as the process does', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    while (cleanups.length) cleanups.pop()!();
  });
  const store = () => {
    const s = tempStore();
    cleanups.push(s.cleanup);
    return s.dir;
  };
  const comparable = (r: { status: number; stdout: string; stderr: string }) => ({
    ...r,
    stdout: r.stdout
      .replace(/tk-[0-9a-z]+/g, 'ID')
      .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'TIME')
      .replace(/\b[0-9a-f]{40}\b/g, 'SHA'),
  });

  it('same status, output and errors for a write, a read, a failure, stdin and a relative --file', () => {
    expect(inProcess(['list'])).toBe(process.env.TACK_TEST_PROCESSES !== '1');
    expect(inProcess(['create', 'x'], { TACK_FAULT: 'after-ref' })).toBe(false);
    expect(inProcess(['serve', '--port', '0'])).toBe(false);
    expect(inProcess(['-C', 'somewhere', '--branch', 'plan', 'serve'])).toBe(false);
    expect(inProcess(['create', 'x'], { TACK_FAULT: 'plumbing' })).toBe(process.env.TACK_TEST_PROCESSES !== '1');
    const a = store();
    const b = store();
    writeFileSync(join(a, 'desc.md'), 'from a file\n');
    writeFileSync(join(b, 'desc.md'), 'from a file\n');
    const lines: [string[], Record<string, string>, string?][] = [
      [['create', 'First', '--file', 'desc.md', '--json'], {}],
      [['create', 'Second', '-d', '-', '--json'], {}, 'described on stdin\n'],
      [['--version'], {}],
      [['show', 'nope', '--json'], {}],
      [['sql', 'select title, description from tickets order by title', '--json'], { TACK_USER: 'someone-else' }],
      [['create', '--', '--dashes', '--json'], {}],
      [['frobnicate'], {}],
    ];
    for (const [args, env, input] of lines) {
      const here = comparable(tackRaw(a, args, env, input));
      const there = comparable(tackProcess(b, args, env, input));
      expect(here, args.join(' ')).toEqual(there);
    }
    const id = (JSON.parse(tackRaw(a, ['list', '--json']).stdout) as { id: string }[])[0].id;
    const viaStdin = tackRaw(a, ['comment', id, '-', '--json'], {}, 'said on stdin\n');
    expect(viaStdin.status).toBe(0);
    expect(JSON.parse(viaStdin.stdout).comment.text).toBe('said on stdin');
    // No stdin given reads an empty one, as a process started by spawnSync does: never the runner's.
    expect(tackRaw(a, ['comment', id, '-', '--json']).status).not.toBe(0);
  });

  it('keeps each command to its own environment and directory', () => {
    const a = store();
    const b = store();
    // `-a me` is the environment's user: alice's, then the next command's own.
    const mine = JSON.parse(tackRaw(a, ['create', 'Mine', '-a', 'me', '--json'], { TACK_USER: 'alice' }).stdout);
    const theirs = JSON.parse(tackRaw(b, ['create', 'Theirs', '-a', 'me', '--json']).stdout);
    expect(mine.assignee).toBe('alice');
    expect(theirs.assignee).toBe('tester');
    const titles = (dir: string) =>
      (JSON.parse(tackRaw(dir, ['list', '--json']).stdout) as { title: string }[]).map((t) => t.title);
    expect(titles(a)).toEqual(['Mine']);
    expect(titles(b)).toEqual(['Theirs']);
  });
});
