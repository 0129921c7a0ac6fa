import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type PackEntry, packIndex } from './packIndex.js';
import { holdObjects, releaseObjects } from './pendingObjects.js';
import { discoverRepo, type Repo } from './repo.js';
import { writeLooseObject } from './treePatch.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempRepo(format: 'sha1' | 'sha256'): { dir: string; repo: Repo; git: (...a: string[]) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'tack-pending-'));
  dirs.push(dir);
  const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, encoding: 'utf8', stdio: 'pipe' }).trim();
  git('init', '-q', `--object-format=${format}`, '-b', 'main');
  return { dir, repo: discoverRepo(dir), git };
}

const packDir = (dir: string) => join(dir, '.git', 'objects', 'pack');

/** A blob, a tree holding it, a tree holding that, and a commit: the objects a ticket write makes. */
function writeCommit(repo: Repo, text: string): { commit: string; blob: string } {
  const raw = (sha: string) => Buffer.from(sha, 'hex');
  const blob = writeLooseObject(repo, 'blob', Buffer.from(text));
  const inner = writeLooseObject(repo, 'tree', Buffer.concat([Buffer.from('100644 T-1.md\0'), raw(blob)]));
  const outer = writeLooseObject(repo, 'tree', Buffer.concat([Buffer.from('40000 tickets\0'), raw(inner)]));
  const who = 'Tack Test <test@example.com> 1763719200 +0000';
  const commit = writeLooseObject(
    repo,
    'commit',
    Buffer.from(`tree ${outer}\nauthor ${who}\ncommitter ${who}\n\ncreate T-1\n`),
  );
  return { commit, blob };
}

describe('a group of writes as one pack (pendingObjects)', () => {
  for (const format of ['sha1', 'sha256'] as const) {
    it(`writes a pack and an index git reads as its own (${format})`, () => {
      const { dir, repo, git } = tempRepo(format);
      holdObjects(repo);
      const { commit, blob } = writeCommit(repo, '---\ntitle: One\n---\nbody\n');
      // Held: nothing on disk yet.
      expect(() => git('cat-file', '-e', commit)).toThrow();
      releaseObjects(repo, true);
      const files = readdirSync(packDir(dir)).sort();
      expect(files).toHaveLength(2);
      const [idx, pack] = files;
      expect(idx).toMatch(/^pack-[0-9a-f]+\.idx$/);
      expect(pack).toBe(idx.replace(/\.idx$/, '.pack'));
      // The index is byte for byte the one git's index-pack makes of the same pack.
      const theirs = join(dir, 'theirs.idx');
      git('index-pack', '--strict', '-o', theirs, join(packDir(dir), pack));
      expect(readFileSync(join(packDir(dir), idx))).toEqual(readFileSync(theirs));
      expect(git('verify-pack', join(packDir(dir), idx))).toBe('');
      expect(git('cat-file', '-p', blob)).toBe('---\ntitle: One\n---\nbody');
      git('update-ref', 'refs/heads/main', commit);
      git('fsck', '--strict', '--no-progress', '--no-dangling');
    });
  }

  it('fails with the reason when the pack cannot be written, leaving no file behind and the ref unmoved', () => {
    const { dir, repo, git } = tempRepo('sha1');
    rmSync(packDir(dir), { recursive: true, force: true });
    writeFileSync(packDir(dir), 'not a directory');
    holdObjects(repo);
    const { commit } = writeCommit(repo, 'x\n');
    expect(() => releaseObjects(repo, true)).toThrow(/could not write a pack of 4 objects to .*objects\/pack/);
    expect(() => git('cat-file', '-e', commit)).toThrow();
    expect(readdirSync(join(dir, '.git', 'objects')).filter((f) => f.startsWith('tmp'))).toEqual([]);
  });

  it('writes nothing for objects of writes that were dropped', () => {
    const { dir, repo, git } = tempRepo('sha1');
    holdObjects(repo);
    const { commit } = writeCommit(repo, 'dropped\n');
    releaseObjects(repo, false);
    expect(() => git('cat-file', '-e', commit)).toThrow();
    expect(readdirSync(packDir(dir))).toEqual([]);
  });
});

describe('packIndex', () => {
  it('puts offsets past 2 GiB in the table of large offsets, as git reads them', () => {
    const { dir } = tempRepo('sha1');
    const entries: PackEntry[] = [
      { sha: 'ff'.repeat(20), offset: 12, crc: 1 },
      { sha: '01'.repeat(20), offset: 2 ** 31 + 5, crc: 0xffffffff },
      { sha: '80'.repeat(20), offset: 2 ** 32 + 7, crc: 3 },
      { sha: '00'.repeat(20), offset: 2 ** 31 - 1, crc: 4 },
    ];
    const idx = packIndex(entries, Buffer.alloc(20, 7), 'sha1');
    const listing = execFileSync('git', ['show-index'], { cwd: dir, input: idx, encoding: 'utf8' });
    const seen = listing
      .trim()
      .split('\n')
      .map((l) => l.split(' '));
    expect(seen).toEqual([
      [String(2 ** 31 - 1), '00'.repeat(20), '(00000004)'],
      [String(2 ** 31 + 5), '01'.repeat(20), '(ffffffff)'],
      [String(2 ** 32 + 7), '80'.repeat(20), '(00000003)'],
      ['12', 'ff'.repeat(20), '(00000001)'],
    ]);
  });
});
