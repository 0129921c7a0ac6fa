import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverRepo, type Repo } from './repo.js';
import { patchTrees } from './treePatch.js';

let dir: string;
let repo: Repo;
const git = (args: string[], input?: string, env: Record<string, string> = {}) =>
  execFileSync('git', args, { cwd: dir, input, encoding: 'utf8', env: { ...process.env, ...env } }).trim();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tack-patch-'));
  git(['init', '-q']);
  repo = discoverRepo(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The tree git writes for a listing (path → blob). */
function gitTree(files: Map<string, string>): string {
  const env = { GIT_INDEX_FILE: join(dir, '.git', `idx-${Math.random()}`) };
  git(['read-tree', '--empty'], undefined, env);
  if (files.size) git(['update-index', '--index-info'], [...files].map(([p, s]) => `100644 ${s}\t${p}`).join('\n') + '\n', env);
  return git(['write-tree'], undefined, env);
}

const conflicts = (a: string, b: string) => a === b || a.startsWith(b + '/') || b.startsWith(a + '/');

describe('patchTrees', () => {
  it('gives the tree git gives for the base listing plus the changes', () => {
    let patched = 0;
    const blobs = ['a', 'b', 'c', 'd'].map((c) => git(['hash-object', '-w', '--stdin'], c));
    const name = fc.constantFrom('a', 'a.md', 'a-b', 'tickets', 'tickets.md', 'docs', 'x', 'é', 'a0', 'b');
    const path = fc.array(name, { minLength: 1, maxLength: 3 }).map((p) => p.join('/'));
    const change = fc.record({ path, sha: fc.option(fc.constantFrom(...blobs), { nil: null }) });
    fc.assert(fc.property(fc.array(fc.tuple(path, fc.constantFrom(...blobs)), { maxLength: 10 }), fc.array(change, { maxLength: 5 }), (base, changes) => {
      const files = new Map<string, string>();
      for (const [p, s] of base) if (![...files.keys()].some((q) => conflicts(p, q))) files.set(p, s);
      const applied: typeof changes = [];
      const expected = new Map(files);
      for (const c of changes) {
        if (applied.some((a) => conflicts(a.path, c.path))) continue;
        if (c.sha && [...expected.keys()].some((q) => q !== c.path && conflicts(q, c.path))) continue; // file vs directory
        applied.push(c);
        if (c.sha) expected.set(c.path, c.sha);
        else expected.delete(c.path);
      }
      const got = patchTrees(repo, files.size ? gitTree(files) : null, applied);
      // null means "use git plumbing instead" (e.g. a path under a file): never a wrong tree.
      if (got !== null) patched++;
      expect(got === null || got === gitTree(expected)).toBe(true);
    }), { numRuns: Number(process.env.PATCH_RUNS ?? 300) });
    expect(patched).toBeGreaterThan(Number(process.env.PATCH_RUNS ?? 300) / 2);
  });
});
