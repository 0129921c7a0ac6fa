import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverRepo, type Repo } from './repo.js';
import { readRef } from './refs.js';
import { commitTree, writeCommit, writeCommitObject, type CommitSignatures } from './commitWriter.js';
import { PACKED_BLOBS_FROM } from './packedBlobs.js';

let dir: string;
let repo: Repo;
const git = (args: string[], input?: string) => execFileSync('git', args, { cwd: dir, input, encoding: 'utf8' }).trim();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tack-commit-'));
  git(['init', '-q', '-b', 'main']);
  git(['config', 'user.name', 'Zoë "Z" Ünïcode']);
  git(['config', 'user.email', 'zoe@example.com']);
  repo = discoverRepo(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('commit objects written by Tack', () => {
  it('are byte for byte what git commit-tree writes', () => {
    const tree = git(['write-tree']);
    const at = { unix: 1763719331, offsetMinutes: 90 };
    const sigs: CommitSignatures = {
      author: { name: 'Zoë "Z" Ünïcode', email: 'zoe@example.com', ...at },
      committer: { name: 'Zoë "Z" Ünïcode', email: 'zoe@example.com', ...at },
    };
    const message = 'create tk-1: ünïcode title\n\nTack-Op: create\nTack-Ticket: tk-1\n';
    const ours = writeCommitObject(repo, tree, [], message, sigs);
    expect(ours).toBe(commitTree(repo, tree, [], message, sigs));
    expect(git(['cat-file', '-t', ours!])).toBe('commit');
  });

  it('chains writes through patched trees and keeps the repository valid', () => {
    let parent: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res = writeCommit(repo, {
        ref: 'refs/heads/store',
        parent,
        changes: [
          { path: `tickets/t${i}.md`, content: `ticket ${i}\n` },
          ...(i === 3 ? [{ path: 'tickets/t1.md', content: null }] : []),
        ],
        message: `write ${i}\n`,
      });
      expect(res).not.toBeNull();
      parent = res!.commit;
    }
    expect(readRef(repo, 'refs/heads/store')).toBe(parent);
    expect(git(['ls-tree', '-r', '--name-only', 'store']).split('\n')).toEqual([
      'tickets/t0.md',
      'tickets/t2.md',
      'tickets/t3.md',
      'tickets/t4.md',
    ]);
    expect(git(['fsck', '--strict', '--no-dangling'])).toBe('');
  });

  it('refuses a write whose parent is no longer the ref (compare-and-swap)', () => {
    const head = readRef(repo, 'refs/heads/store');
    const stale = git(['rev-parse', 'store~1']);
    expect(
      writeCommit(repo, {
        ref: 'refs/heads/store',
        parent: stale,
        changes: [{ path: 'x.md', content: 'x' }],
        message: 'late\n',
      }),
    ).toBeNull();
    expect(readRef(repo, 'refs/heads/store')).toBe(head);
  });

  it('are the objects git writes in a SHA-256 repository too, blob, tree and commit', () => {
    const d = mkdtempSync(join(tmpdir(), 'tack-commit256-'));
    try {
      const g = (args: string[], input?: string) =>
        execFileSync('git', args, { cwd: d, input, encoding: 'utf8' }).trim();
      g(['init', '-q', '--object-format=sha256']);
      g(['config', 'user.name', 'Zoë']);
      g(['config', 'user.email', '<zoe@example.com>']);
      const r = discoverRepo(d);
      const res = writeCommit(r, {
        ref: 'refs/heads/store',
        parent: null,
        changes: [{ path: 'tickets/a.md', content: 'a\n' }],
        message: 'first\n',
        date: '2026-01-02T03:04:05Z',
      });
      expect(res!.commit).toHaveLength(64);
      expect(res!.blobs.get('tickets/a.md')).toBe(g(['hash-object', '--stdin'], 'a\n'));
      expect(res!.tree).toBe(g(['rev-parse', 'store^{tree}']));
      expect(res!.author).toMatchObject({ name: 'Zoë', email: 'zoe@example.com' });
      expect(res!.commit).toBe(commitTree(r, res!.tree, [], 'first\n', res!));
      const next = writeCommit(r, {
        ref: 'refs/heads/store',
        parent: res!.commit,
        changes: [{ path: 'tickets/b.md', content: 'b\n' }],
        message: 'second\n',
      });
      expect(g(['ls-tree', '-r', '--name-only', 'store']).split('\n')).toEqual(['tickets/a.md', 'tickets/b.md']);
      expect(readRef(r, 'refs/heads/store')).toBe(next!.commit);
      expect(g(['fsck', '--strict', '--no-dangling'])).toBe('');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it.each(['sha1', 'sha256'])('write a large change as one pack, with the ids git gives (%s)', (format) => {
    const d = mkdtempSync(join(tmpdir(), 'tack-commitpack-'));
    try {
      const g = (args: string[], input?: string) =>
        execFileSync('git', args, { cwd: d, input, encoding: 'utf8' }).trim();
      g(['init', '-q', `--object-format=${format}`]);
      const r = discoverRepo(d);
      const n = PACKED_BLOBS_FROM + 5;
      // Multi-byte text, an empty file, two equal files, text without a final newline, and
      // text that reads as fast-import commands (a stream that trusted it would end early or
      // write other objects).
      const special = ['', 'same\n', 'same\n', 'done\n', 'blob\ndata 3\nabc\ndone\n', 'commit refs/heads/store\n'];
      const text = (i: number) => special[i] ?? `tïcket ${i}\ndata 9\n${'x'.repeat(i)}`;
      const first = writeCommit(r, {
        ref: 'refs/heads/store',
        parent: null,
        changes: [{ path: 'gone.md', content: 'bye\n' }],
        message: 'first\n',
        date: '2026-01-02T03:04:05Z',
      });
      const changes = [
        ...Array.from({ length: n }, (_, i) => ({
          path: `tickets/${i % 4}/t${i}.md`,
          content: text(i),
        })),
        { path: 'gone.md', content: null },
      ];
      const res = writeCommit(r, { ref: 'refs/heads/store', parent: first!.commit, changes, message: 'bulk\n' });
      for (let i = 0; i < n; i++) {
        const path = changes[i].path;
        expect(res!.blobs.get(path)).toBe(g(['hash-object', '--stdin'], text(i)));
        expect(execFileSync('git', ['show', `store:${path}`], { cwd: d, encoding: 'utf8' })).toBe(text(i));
      }
      expect(res!.blobs.get('gone.md')).toBeNull();
      expect(g(['ls-tree', '-r', '--name-only', 'store'])).not.toContain('gone.md');
      const counts = Object.fromEntries(
        g(['count-objects', '-v'])
          .split('\n')
          .map((l) => l.split(': ')),
      );
      // The blobs are in one pack; only the trees and commits are loose.
      expect(Number(counts['in-pack'])).toBe(n - 1);
      expect(Number(counts.packs)).toBe(1);
      expect(Number(counts.count)).toBeLessThan(30);
      expect(g(['fsck', '--strict', '--no-dangling'])).toBe('');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
