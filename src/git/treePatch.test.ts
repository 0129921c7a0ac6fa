import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { afterAll, afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { isTackError } from '../model/errors.js';
import { discoverRepo, type Repo } from './repo.js';
import { patchTrees, readLooseObject } from './treePatch.js';
import { buildTree } from './treeBuilder.js';

const realSpawnSync = createRequire(import.meta.url)('node:child_process').spawnSync;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
afterEach(() => delete process.env.TACK_FAULT);

function setup(format: 'sha1' | 'sha256') {
  const dir = mkdtempSync(join(tmpdir(), 'tack-patch-'));
  dirs.push(dir);
  const git = (args: string[], input?: string, env: Record<string, string> = {}) =>
    execFileSync('git', args, {
      cwd: dir,
      input,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...env },
    }).trim();
  git(['init', '-q', `--object-format=${format}`]);
  const repo: Repo = discoverRepo(dir);
  const blobs = ['a', 'b', 'c', 'd'].map((c) => git(['hash-object', '-w', '--stdin'], c));
  /** The tree git writes for a listing (path → blob); a listing asked again is answered from memory. */
  const trees = new Map<string, string>();
  const gitTree = (files: Map<string, string>): string => {
    const info = [...files].map(([p, s]) => `100644 ${s}\t${p}\n`).join('');
    let tree = trees.get(info);
    if (tree) return tree;
    // A new index file: update-index starts it empty.
    const env = { GIT_INDEX_FILE: join(dir, '.git', `idx-${trees.size}`) };
    if (files.size) git(['update-index', '--index-info'], info, env);
    tree = git(['write-tree'], undefined, env);
    trees.set(info, tree);
    return tree;
  };
  const commitOf = (tree: string) =>
    git(['commit-tree', tree, '-m', 'base'], undefined, {
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@x',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@x',
    });
  return { dir, git, repo, blobs, gitTree, commitOf };
}

const conflicts = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
// Names around '/' in byte order ('-' and '.' sort before it, '0' after): where a file and
// a directory of the same name sort apart and a sibling can fall between them.
const name = fc.constantFrom('a', 'a.md', 'a.md-notes.md', 'a-b', 'a.', 'a0', 'tickets', 'tickets.md', 'x', 'é', 'b');
const path = fc.array(name, { minLength: 1, maxLength: 3 }).map((p) => p.join('/'));

/** What git accepts: the listing after the changes, or the path that collides. */
function expectedOutcome(
  base: Map<string, string>,
  changes: Array<{ path: string; sha: string | null }>,
): Map<string, string> | 'collision' {
  const written = changes.filter((c) => c.sha).map((c) => c.path);
  const deleted = new Set(changes.filter((c) => !c.sha).map((c) => c.path));
  for (const w of written) {
    if (written.some((o) => o !== w && conflicts(o, w))) return 'collision';
    if ([...base.keys()].some((b) => b.startsWith(`${w}/`))) return 'collision'; // a directory there
    if ([...base.keys()].some((b) => w.startsWith(`${b}/`) && !deleted.has(b))) return 'collision'; // a file above
  }
  const out = new Map(base);
  for (const c of changes) {
    if (c.sha) out.set(c.path, c.sha);
    else out.delete(c.path);
  }
  return out;
}

function baseListing(base: Array<[string, string]>): Map<string, string> {
  const files = new Map<string, string>();
  for (const [p, s] of base) if (![...files.keys()].some((q) => conflicts(p, q))) files.set(p, s);
  return files;
}

function lastPerPath<T extends { path: string }>(changes: T[]): T[] {
  return [...new Map(changes.map((c) => [c.path, c])).values()];
}

describe('tree writing', () => {
  for (const format of ['sha1', 'sha256'] as const) {
    it(`patchTrees gives the tree git gives, and refuses file/directory collisions (${format})`, () => {
      const t = setup(format);
      const runs = Number(process.env.PATCH_RUNS ?? (format === 'sha1' ? 200 : 60));
      let patched = 0;
      let refused = 0;
      const change = fc.record({ path, sha: fc.option(fc.constantFrom(...t.blobs), { nil: null }) });
      fc.assert(
        fc.property(
          fc.array(fc.tuple(path, fc.constantFrom(...t.blobs)), { maxLength: 10 }),
          fc.array(change, { maxLength: 5 }),
          (base, rawChanges) => {
            const files = baseListing(base);
            const changes = lastPerPath(rawChanges);
            const want = expectedOutcome(files, changes);
            let got: string | null | 'collision';
            try {
              got = patchTrees(t.repo, files.size ? t.gitTree(files) : null, changes);
            } catch (e) {
              if (!isTackError(e) || e.code !== 'conflict') throw e;
              got = 'collision';
            }
            if (got === 'collision') refused++;
            else if (got !== null) patched++;
            // The fast path may decline (null: plumbing then), but never writes a wrong tree. Within
            // one change, the builder refuses clashing paths before the patcher is asked.
            const sameChangeClash = changes.some(
              (a) => a.sha && changes.some((b) => b !== a && b.sha && conflicts(a.path, b.path)),
            );
            if (!sameChangeClash)
              expect(got === null || got === (want === 'collision' ? 'collision' : t.gitTree(want))).toBe(true);
          },
        ),
        { numRuns: runs },
      );
      expect(patched).toBeGreaterThan(runs / 3);
      expect(refused).toBeGreaterThan(0);
    });
  }

  for (const mode of ['fast path', 'packed', 'packed sha256', 'plumbing'] as const) {
    it(`buildTree (${mode}) gives git's tree or a collision error, never duplicates or a silent deletion`, () => {
      const t = setup(mode === 'packed sha256' ? 'sha256' : 'sha1');
      const packed = mode.startsWith('packed');
      if (mode === 'plumbing') process.env.TACK_FAULT = 'plumbing';
      // Packed: the parent's commit and trees only in a pack (as after `git gc`), so the
      // patch reads them with one cat-file; git's index plumbing is never needed.
      const parentOf = (files: Map<string, string>) => {
        const commit = t.commitOf(t.gitTree(files));
        if (!packed) return commit;
        t.git(['update-ref', 'refs/heads/base', commit]);
        t.git(['repack', '-q', '-a', '-d']);
        t.git(['prune-packed']);
        expect(readLooseObject(t.repo, commit)).toBe(null);
        return commit;
      };
      const cp = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
      const spawned: string[] = [];
      const spy = vi.spyOn(cp, 'spawnSync').mockImplementation(((cmd: string, args: string[], opts: object) => {
        spawned.push(args[0]);
        return realSpawnSync(cmd, args, opts);
      }) as never);
      onTestFinished(() => spy.mockRestore());
      const runs = Number(process.env.PATCH_RUNS ?? 40);
      fc.assert(
        fc.property(
          fc.array(fc.tuple(path, fc.constantFrom(...t.blobs)), { minLength: 1, maxLength: 8 }),
          fc.array(fc.record({ path, sha: fc.option(fc.constantFrom(...t.blobs), { nil: null }) }), { maxLength: 4 }),
          (base, rawChanges) => {
            const files = baseListing(base);
            const changes = lastPerPath(rawChanges);
            const want = expectedOutcome(files, changes);
            let got: string;
            try {
              const parent = parentOf(files);
              spawned.length = 0;
              got = buildTree(t.repo, parent, changes);
              if (packed) expect(spawned.filter((c) => c !== 'cat-file')).toEqual([]);
            } catch (e) {
              if (!isTackError(e) || e.code !== 'conflict') throw e;
              got = 'collision';
            }
            expect(got).toBe(want === 'collision' ? 'collision' : t.gitTree(want));
          },
        ),
        { numRuns: runs },
      );
    });
  }

  for (const format of ['sha1', 'sha256'] as const)
    it(`writes a new folder of many files in one piece, as git mktree would, in any order given (${format})`, () => {
      const t = setup(format);
      const names = [
        ...Array.from({ length: 400 }, (_, i) => `tk-${(i * 7919).toString(36)}.md`),
        'A.md',
        'a-b.md',
        'a.md',
        'a.md0',
        'Z',
        '~x',
      ];
      for (const extra of [[], ['é.md']]) {
        const all = [...names, ...extra];
        const shuffled = [...all].sort(() => Math.random() - 0.5);
        const sha = (n: string) => t.blobs[n.length % t.blobs.length];
        const tree = patchTrees(
          t.repo,
          null,
          shuffled.map((n) => ({ path: `tickets/ab/${n}`, sha: sha(n) })),
        )!;
        const folder = t.git(['mktree'], `${all.map((n) => `100644 blob ${sha(n)}\t${n}`).join('\n')}\n`);
        expect(t.git(['rev-parse', `${tree}:tickets/ab`])).toBe(folder);
        expect(t.git(['ls-tree', '-r', '--name-only', tree]).split('\n')).toHaveLength(all.length);
      }
    });

  it('sorts entries as git mktree does (a directory compares as "name/")', () => {
    const t = setup('sha1');
    const [b] = t.blobs;
    const sub = t.git(['mktree'], `100644 blob ${b}\tx.md\n`);
    const listing = [
      `100644 blob ${b}\ta.md-notes.md`,
      `040000 tree ${sub}\ta.md`,
      `100644 blob ${b}\ta.md0`,
      `100644 blob ${b}\ta.m`,
    ];
    const viaMktree = t.git(['mktree'], `${listing.join('\n')}\n`);
    let tree = patchTrees(t.repo, null, [
      { path: 'a.md0', sha: b },
      { path: 'a.m', sha: b },
    ])!;
    tree = patchTrees(t.repo, tree, [{ path: 'a.md/x.md', sha: b }])!;
    tree = patchTrees(t.repo, tree, [{ path: 'a.md-notes.md', sha: b }])!;
    expect(tree).toBe(viaMktree);
    // The file "a.md" next to the directory "a.md", with "a.md-notes.md" between them in
    // git's order: refused in both paths, the tree left as it was.
    for (const fault of [undefined, 'plumbing']) {
      if (fault) process.env.TACK_FAULT = fault;
      const parent = t.commitOf(tree);
      expect(() => buildTree(t.repo, parent, [{ path: 'a.md', sha: b }])).toThrow(
        /file\/directory collision: "a.md" is a directory/,
      );
      expect(() => buildTree(t.repo, parent, [{ path: 'a.md0/y.md', sha: b }])).toThrow(
        /"a.md0" is a file in the tree/,
      );
      expect(() =>
        buildTree(t.repo, parent, [
          { path: 'n', sha: b },
          { path: 'n/y', sha: b },
        ]),
      ).toThrow(/writes "n" as a file and "n\/y" below it/);
    }
  });
});
