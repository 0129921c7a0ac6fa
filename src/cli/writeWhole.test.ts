import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileWhole, writeFolderWhole } from './writeWhole.js';

const dir = mkdtempSync(join(tmpdir(), 'tack-whole-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LINES = ['{"a":"\u001b \u202e 😀"}\n', `${'x'.repeat(70_000)}\n`, 'last'];

describe('writeFileWhole', () => {
  it('writes the pieces, replacing an earlier file', () => {
    const file = join(dir, 'out.jsonl');
    writeFileSync(file, 'old');
    writeFileWhole(file, LINES);
    expect(readFileSync(file, 'utf8')).toBe(LINES.join(''));
    expect(readdirSync(dir).filter((f) => f.includes('out'))).toEqual(['out.jsonl']);
  });

  it('a failure part way leaves the earlier file as it was and nothing beside it', () => {
    const file = join(dir, 'kept.csv');
    writeFileSync(file, 'earlier export');
    function* failing() {
      yield 'x'.repeat(200_000); // past a write, so part of it is on disk when it fails
      throw new Error('index went away');
    }
    expect(() => writeFileWhole(file, failing())).toThrow('index went away');
    expect(readFileSync(file, 'utf8')).toBe('earlier export');
    expect(readdirSync(dir).filter((f) => f.includes('kept'))).toEqual(['kept.csv']);
  });

  it('a folder that does not exist: an error, and nothing is made', () => {
    expect(() => writeFileWhole(join(dir, 'missing', 'out.csv'), ['a'])).toThrow(
      /cannot write .*out\.csv \(ENOENT\); expected a file in a folder/,
    );
    expect(existsSync(join(dir, 'missing'))).toBe(false);
    mkdirSync(join(dir, 'folder'));
    expect(() => writeFileWhole(join(dir, 'folder'), ['a'])).toThrow(/cannot write .*folder \(EISDIR\)/);
    expect(readdirSync(dir).filter((f) => f.includes('folder'))).toEqual(['folder']);
  });
});

describe('what an export stopped part way left', () => {
  it("is removed by the next export to the same path when its process is gone; a live one's stays", () => {
    const own = join(dir, 'leftovers'); // the other tests find no .tmp file in dir
    mkdirSync(own);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const file = join(own, 'again.jsonl');
    const leftovers = [`.again.jsonl.tack-${dead}.tmp`, `.again.jsonl.tack-${process.pid}.tmp`];
    writeFileSync(join(own, leftovers[0]), 'half an export');
    mkdirSync(join(own, leftovers[1]));
    const live = `.again.jsonl.tack-${process.ppid}.tmp`;
    const unrelated = ['.again.jsonl.tack-x.tmp', '.other.jsonl.tack-1.tmp', 'again.jsonl.tack-1.tmp'];
    for (const name of [live, ...unrelated]) writeFileSync(join(own, name), 'not ours to remove');
    writeFileWhole(file, ['new']);
    expect(readFileSync(file, 'utf8')).toBe('new');
    const left = readdirSync(own).filter((f) => f.includes('again') || f.includes('other'));
    expect(left.sort()).toEqual([live, ...unrelated, 'again.jsonl'].sort());
    // A folder export clears its own the same way.
    const folder = join(own, 'backlog-again');
    mkdirSync(join(own, `.backlog-again.tack-${dead}.tmp`));
    writeFolderWhole(folder, [{ path: 'config.yml', content: 'x' }]);
    expect(existsSync(join(own, `.backlog-again.tack-${dead}.tmp`))).toBe(false);
  });
});

describe('writeFolderWhole', () => {
  const files = [
    { path: 'tasks/task-1 - One.md', content: 'one' },
    { path: 'config.yml', content: 'project_name: x\n' },
  ];
  const listing = (d: string) => readdirSync(d, { recursive: true }).map(String).sort();

  it('makes the folder (and its parents), or fills an empty one, with every file', () => {
    const made = join(dir, 'parent', 'backlog');
    expect(writeFolderWhole(made, files)).toBe(2);
    expect(listing(made)).toEqual(['config.yml', 'tasks', 'tasks/task-1 - One.md']);
    expect(readFileSync(join(made, 'tasks/task-1 - One.md'), 'utf8')).toBe('one');
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect(writeFolderWhole(empty, files)).toBe(2);
    expect(listing(empty)).toHaveLength(3);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a place that cannot hold a folder: a clear error, and nothing is made', () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    expect(() => writeFolderWhole(join(file, 'backlog'), files)).toThrow(
      /cannot write .*plain-file\/backlog \((ENOTDIR|EEXIST)\); expected a new folder/,
    );
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('refuses a folder that holds anything, before writing', () => {
    const full = join(dir, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'mine.md'), 'keep');
    expect(() => writeFolderWhole(full, files)).toThrow(/is not empty; expected a new or empty folder/);
    expect(listing(full)).toEqual(['mine.md']);
  });

  it('a path that leaves the folder, part way through: refused, and nothing is left', () => {
    for (const bad of ['../escape.md', 'tasks/../../x.md', '/abs.md', 'tasks/.hidden', 'a//b']) {
      const target = join(dir, `bad-${listing(dir).length}`);
      expect(() => writeFolderWhole(target, [...files, { path: bad, content: 'x' }])).toThrow(/refused to write/);
      expect(existsSync(target)).toBe(false);
      expect(existsSync(join(dir, 'escape.md'))).toBe(false);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    }
  });

  it('a failure while the files are made leaves nothing either', () => {
    function* failing() {
      yield files[0];
      throw new Error('index went away');
    }
    const target = join(dir, 'failed');
    expect(() => writeFolderWhole(target, failing())).toThrow('index went away');
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
