import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OVERSIZE } from '../model/boundedYaml.js';
import { BlobFile } from './blobFile.js';
import { blobSizes, readBlobs, readFileAt, readFilesAt } from './objects.js';
import { lsTree } from './treeListing.js';
import { discoverRepo } from './repo.js';
import { writeLooseObject } from './treePatch.js';

/*
 * readFileAt and readBlobs answer from loose objects when they can (what a write leaves
 * behind) and from git otherwise: the answers must be git's, whatever the objects' state.
 */

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const BIG = 'x'.repeat(100_000);

function repoWithFiles(format: 'sha1' | 'sha256' = 'sha1') {
  const dir = mkdtempSync(join(tmpdir(), 'tack-objects-'));
  dirs.push(dir);
  const git = (args: string[], input?: string) =>
    execFileSync('git', args, {
      cwd: dir,
      input,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.com',
      },
    }).trim();
  git(['init', '-q', '-b', 'main', `--object-format=${format}`]);
  const files: Record<string, string> = {
    'schema.yaml': 'version: 1\n',
    'tickets/ab/tk-ab12.md': '---\nid: tk-ab12\n---\nHello\n',
    'tickets/tk-cd34.md': '---\nid: tk-cd34\n---\nFlat\n',
    'tickets/tk-cd34.md-x.md': 'sorts between the file and a directory of its name\n',
    'big.txt': BIG,
    'small.txt': 'small\n',
  };
  const entries = Object.entries(files).map(
    ([p, text]) => `100644 ${git(['hash-object', '-w', '--stdin'], text)}\t${p}`,
  );
  git(['update-index', '--add', '--index-info'], `${entries.join('\n')}\n`);
  git(['commit', '-q', '-m', 'files']);
  return { dir, git, repo: discoverRepo(dir), files, head: git(['rev-parse', 'HEAD']) };
}

const paths = [
  'schema.yaml',
  'tickets/ab/tk-ab12.md',
  'tickets/tk-cd34.md',
  'tickets/tk-cd34.md-x.md',
  'tickets/ab',
  'tickets',
  'tickets/zz/tk-none.md',
  'tickets/tk-none.md',
  'nothing/at/all.md',
  'tickets//tk-cd34.md',
  'tickets/./tk-cd34.md',
  'tickets/ab/tk-ab12.md/below',
];

describe('readFileAt', () => {
  it.each(['sha1', 'sha256'] as const)(
    'answers as git does for files, directories and absent paths, loose or packed, by id or ref (%s)',
    (format) => {
      const { git, repo, files, head } = repoWithFiles(format);
      expect(head).toHaveLength(format === 'sha1' ? 40 : 64);
      const expected = (p: string) => files[p] ?? null;
      for (const rev of [head, 'refs/heads/main', 'main', 'HEAD', `${head}^{commit}`]) {
        for (const p of paths) expect([rev, p, readFileAt(repo, rev, p)]).toEqual([rev, p, expected(p)]);
      }
      git(['gc', '-q', '--prune=now']); // every object packed: git answers
      for (const p of paths) expect([p, readFileAt(repo, 'refs/heads/main', p)]).toEqual([p, expected(p)]);
      expect(readFileAt(repo, 'refs/heads/nope', 'schema.yaml')).toBe(null);
      // A name that would be two lines to cat-file, or cut at a NUL, is never asked as one.
      expect(readFileAt(repo, `refs/heads/main\n${head}`, 'schema.yaml')).toBe(null);
      expect(() => readFileAt(repo, 'refs/heads/main\0x', 'schema.yaml')).toThrow(
        expect.objectContaining({ code: 'invalid_input', message: expect.stringMatching(/NUL character/) }),
      );
    },
  );

  it.each(['sha1', 'sha256'] as const)(
    'readFilesAt answers as readFileAt does for each path, many at once through a listing (%s)',
    (format) => {
      const { git, repo, files } = repoWithFiles(format);
      const absent = Array.from({ length: 80 }, (_, i) => `tickets/${(i % 7).toString(16)}f/tk-x${i}.md`);
      const expected = (asked: string[]) => new Map(asked.filter((p) => p in files).map((p) => [p, files[p]]));
      const asked = [...paths, ...absent, 'line\nbreak.md'];
      expect(asked.length).toBeGreaterThan(64); // the listing's side
      for (const packed of [false, true]) {
        if (packed) git(['gc', '-q', '--prune=now']);
        expect(readFilesAt(repo, 'refs/heads/main', asked)).toEqual(expected(asked));
        expect(readFilesAt(repo, 'refs/heads/main', paths)).toEqual(expected(paths)); // path by path
        // git refuses `../x` as a pathspec: asked path by path instead, the rest still found.
        const outside = [...asked, '../outside.md', 'tickets/../schema.yaml'];
        expect(readFilesAt(repo, 'refs/heads/main', outside)).toEqual(expected(outside));
        expect(readFilesAt(repo, 'refs/heads/nope', asked)).toEqual(new Map());
        expect(readFilesAt(repo, '--output=/tmp/x', asked)).toEqual(new Map());
      }
    },
  );

  it('never reads a file outside .git for a ref name, and never loops on a malformed loose tree', () => {
    const { repo } = repoWithFiles();
    expect(readFileAt(repo, 'refs/../../../etc/passwd', 'x')).toBe(null);
    expect(readFileAt(repo, 'refs/heads/../../HEAD', 'schema.yaml')).toBe(null);
    // A tree whose second entry is cut short (no NUL, no id), as a hostile fetch could leave
    // loose: a scan that trusted it would go back to offset 20 and round again forever.
    const id = Buffer.alloc(20, 1);
    const bad = writeLooseObject(
      repo,
      'tree',
      Buffer.concat([Buffer.from('100644 a.md\0'), id, Buffer.from('100644 b.md')]),
    );
    const commit = writeLooseObject(
      repo,
      'commit',
      Buffer.from(`tree ${bad}\nauthor t <t@e> 0 +0000\ncommitter t <t@e> 0 +0000\n\nbad\n`),
    );
    expect(readFileAt(repo, commit, 'a.md')).toBe(null);
  });
});

describe('readBlobs', () => {
  it.each(['sha1', 'sha256'] as const)(
    'gives loose, packed and remembered blobs alike, and never one over maxBytes (%s)',
    (format) => {
      const { git, repo } = repoWithFiles(format);
      const [loose, small] = ['big.txt', 'small.txt'].map((f) => git(['rev-parse', `HEAD:${f}`]));
      expect(readBlobs(repo, [loose, small]).get(loose)?.toString() === BIG).toBe(true);
      const over = readBlobs(repo, [loose], 1000).get(loose);
      expect(over?.length).toBe(0);
      expect((over as Buffer & { [OVERSIZE]?: number })[OVERSIZE]).toBe(100_000);
      git(['gc', '-q', '--prune=now']);
      // Read once from the pack (then remembered), then again: the same bytes, the same limit.
      for (let i = 0; i < 2; i++) {
        const got = readBlobs(repo, [loose, small, '0'.repeat(loose.length)], 200_000);
        expect(got.get(loose)?.toString() === BIG).toBe(true);
        expect(got.get(small)?.toString()).toBe('small\n');
        expect(got.has('0'.repeat(loose.length))).toBe(false);
        expect((readBlobs(repo, [loose], 1000).get(loose) as Buffer & { [OVERSIZE]?: number })[OVERSIZE]).toBe(100_000);
      }
    },
  );
});

describe('BlobFile', () => {
  it.each(['sha1', 'sha256'] as const)(
    'hands out each blob asked for, in any order and as often as asked; never one over the limit (%s)',
    (format) => {
      const { git, repo } = repoWithFiles(format);
      const [big, small] = ['big.txt', 'small.txt'].map((f) => git(['rev-parse', `HEAD:${f}`]));
      const more = ['a\n', 'b\n', 'c\n'].map((t) => git(['hash-object', '-w', '--stdin'], t));
      const absent = '0'.repeat(big.length);
      const shas = [small, big, ...more, absent];
      const sizes = blobSizes(repo, shas);
      // A temporary directory of this test's own: other processes make and remove theirs in
      // the shared one meanwhile (a count there failed whenever one did).
      const own = mkdtempSync(join(tmpdir(), 'tack-blobfile-test-'));
      const saved = process.env.TMPDIR;
      process.env.TMPDIR = own;
      let file: BlobFile;
      try {
        file = new BlobFile(repo, shas, sizes, 1000);
      } finally {
        if (saved === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = saved;
      }
      try {
        // Nothing of it is left on disk once it is open.
        expect(readdirSync(own)).toEqual([]);
        rmSync(own, { recursive: true });
        expect(file.take(more[2])?.toString()).toBe('c\n');
        expect(file.take(small)?.toString()).toBe('small\n');
        expect(file.take(more[2])?.toString()).toBe('c\n');
        expect(file.take(more[0])?.toString()).toBe('a\n');
        const over = file.take(big);
        expect([over?.length, (over as Buffer & { [OVERSIZE]?: number })[OVERSIZE]]).toEqual([0, 100_000]);
        expect(file.take(absent)).toBe(undefined);
        expect(file.take(git(['hash-object', '-w', '--stdin'], 'not asked\n'))).toBe(undefined);
        expect(file.take(more[1])?.toString()).toBe('b\n');
        expect([file.sizeOf(small), file.sizeOf(big), file.sizeOf(absent), file.sizeOf('x')]).toEqual([
          6,
          100_000,
          undefined,
          undefined,
        ]);
      } finally {
        file.close();
      }
      // Git cannot run there: nothing is handed out (the caller reads another way), nothing hangs.
      const none = new BlobFile({ ...repo, workTree: join(tmpdir(), 'tack-no-such-dir') }, shas, sizes, 1000);
      expect(none.take(small)).toBe(undefined);
      none.close();
    },
  );
});

describe('lsTree', () => {
  it('reads every path as git wrote it: spaces, tabs, line breaks and non-ASCII names, in both formats', () => {
    for (const format of ['sha1', 'sha256'] as const) {
      const { git, repo } = repoWithFiles(format);
      const odd = ['a b/c\td.md', 'line\nbreak.md', 'ünï cødé/文件.md', ' lead.md'];
      const blob = git(['hash-object', '-w', '--stdin'], 'odd\n');
      git(['update-index', '--add', '-z', '--index-info'], odd.map((p) => `100644 ${blob}\t${p}\0`).join(''));
      git(['commit', '-q', '-m', 'odd names']);
      const entries = lsTree(repo, 'HEAD');
      for (const p of odd)
        expect(entries.find((e) => e.path === p)).toEqual({ mode: '100644', type: 'blob', sha: blob, path: p });
      expect(entries.map((e) => e.path)).toContain('tickets/ab/tk-ab12.md');
      expect(lsTree(repo, 'HEAD', 'tickets').map((e) => e.path)).toEqual([
        'tickets/ab/tk-ab12.md',
        'tickets/tk-cd34.md',
        'tickets/tk-cd34.md-x.md',
      ]);
    }
  });
});
