import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverRepo, type Repo } from './repo.js';
import { BlobPack, writePackedBlobs } from './packedBlobs.js';

let dir: string;
let repo: Repo;
/** This file's own temporary folder: other test files' spools come and go in the shared one. */
let spoolRoot: string;
const oldTmp = process.env.TMPDIR;
const git = (args: string[], input?: string) => execFileSync('git', args, { cwd: dir, input, encoding: 'utf8' }).trim();
const packs = () => readdirSync(join(dir, '.git', 'objects', 'pack')).filter((f) => f.endsWith('.pack'));
const spools = () => readdirSync(spoolRoot);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tack-pack-test-'));
  spoolRoot = mkdtempSync(join(tmpdir(), 'tack-spools-'));
  process.env.TMPDIR = spoolRoot;
  git(['init', '-q', '-b', 'main']);
  repo = discoverRepo(dir);
});
afterEach(() => {
  process.env.TMPDIR = oldTmp;
  if (oldTmp === undefined) delete process.env.TMPDIR;
  rmSync(dir, { recursive: true, force: true });
  rmSync(spoolRoot, { recursive: true, force: true });
});

describe('blobs packed as they come (BlobPack)', () => {
  it('in a SHA-256 repository too: the ids git gives, and a pack fsck accepts', () => {
    rmSync(join(dir, '.git'), { recursive: true, force: true });
    git(['init', '-q', '--object-format=sha256']);
    repo = discoverRepo(dir);
    const pack = new BlobPack(repo);
    const ids = ['one\n', 'two\n'].map((t) => pack.add(t));
    pack.finish();
    expect(ids[0]).toHaveLength(64);
    expect(ids[1]).toBe(git(['hash-object', '--stdin'], 'two\n'));
    expect(git(['cat-file', 'blob', ids[0]])).toBe('one');
    expect(git(['fsck', '--strict', '--no-dangling'])).toBe('');
  });

  it('gives the ids git gives, across spool chunks, and git reads every blob back from one pack', () => {
    const texts = ['', 'a\n', 'ünïcode ✓\n', 'x'.repeat(3 << 20), ...Array.from({ length: 300 }, (_, i) => `t${i}\n`)];
    const pack = new BlobPack(repo);
    expect(spools()).toHaveLength(1);
    const ids = texts.map((t) => pack.add(t));
    expect(ids[1]).toBe(git(['hash-object', '--stdin'], 'a\n'));
    pack.finish();
    expect(packs()).toHaveLength(1);
    for (const [i, t] of texts.entries())
      if (i < 5 && i !== 3) expect(git(['cat-file', 'blob', ids[i]])).toBe(t.trim());
    expect(git(['cat-file', '-s', ids[3]])).toBe(String(3 << 20));
    expect(git(['fsck', '--strict', '--no-dangling'])).toBe('');
    expect(spools()).toEqual([]);
  });

  it('abandoned, or given nothing, writes nothing and leaves no spool behind', () => {
    const dropped = new BlobPack(repo);
    const id = dropped.add('never packed\n');
    dropped.abandon();
    new BlobPack(repo).finish();
    expect(packs()).toEqual([]);
    expect(() => git(['cat-file', '-e', id])).toThrow();
    expect(spools()).toEqual([]);
    expect(() => dropped.add('late')).toThrow(/after finish or abandon/);
  });

  it('writePackedBlobs: the ids in order, as git computes them', () => {
    const ids = writePackedBlobs(repo, ['one\n', 'two\n', 'one\n']);
    expect(ids).toEqual([
      git(['hash-object', '--stdin'], 'one\n'),
      git(['hash-object', '--stdin'], 'two\n'),
      git(['hash-object', '--stdin'], 'one\n'),
    ]);
    expect(git(['cat-file', 'blob', ids[1]])).toBe('two');
  });
});
