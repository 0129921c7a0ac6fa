import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { assertGitPath, clashError, fileDirClash } from '../model/gitPath.js';
import { forcedPlumbing } from './fault.js';
import { zeroOid } from './objectFormat.js';
import { batchable, readObjects, recentTree } from './objects.js';
import { eachTreeRecord } from './treeListing.js';
import { looseCommitTree, patchTrees, type KnownTrees } from './treePatch.js';
import { git, gitRaw } from './run.js';
import type { Repo } from './repo.js';

/** One path of a new tree: a blob id to write there, or null to remove it. */
export interface TreeChange {
  path: string;
  sha: string | null;
}

/** Above this many paths the collision check lists the whole tree instead of naming each path. */
const MAX_PATHSPECS = 1000;

function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) out.push(path.slice(0, i));
  return out;
}

/**
 * The plumbing fallback's guard: `update-index --index-info` replaces a directory by a
 * file (and a file by a directory) without a word, so ask the parent's tree first.
 */
function checkAgainstTree(repo: Repo, parent: string, changes: TreeChange[]): void {
  const written = changes.filter((c) => c.sha !== null).map((c) => c.path);
  if (written.length === 0) return;
  const deleted = new Set(changes.filter((c) => c.sha === null).map((c) => c.path));
  const dirs = new Set(written.flatMap(ancestors));
  const specs = [...new Set([...written, ...dirs])];
  const args =
    specs.length > MAX_PATHSPECS
      ? ['ls-tree', '-r', '-t', '-z', '--full-tree', parent]
      : ['ls-tree', '-z', '--full-tree', parent, '--', ...specs];
  const writtenSet = new Set(written);
  const listing = gitRaw(args, { cwd: repo.workTree, env: { GIT_LITERAL_PATHSPECS: '1' } }).stdout;
  eachTreeRecord(listing, ({ type, path }) => {
    if (type === 'tree' && writtenSet.has(path)) throw clashError(path, path, 'directory');
    if (type !== 'tree' && dirs.has(path) && !deleted.has(path)) {
      throw clashError(path, written.find((w) => w.startsWith(`${path}/`))!, 'file');
    }
  });
}

/** Git's read-tree/update-index/write-tree on a private index file, never the user's index. */
function writeTreeWithGit(repo: Repo, parent: string | null, changes: TreeChange[]): string {
  if (parent) checkAgainstTree(repo, parent, changes);
  const dir = join(repo.commonDir, 'tack');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `tmp-index-${process.pid}-${randomBytes(4).toString('hex')}`);
  const env = { GIT_INDEX_FILE: file };
  const zero = zeroOid(repo);
  try {
    git(parent ? ['read-tree', parent] : ['read-tree', '--empty'], { cwd: repo.workTree, env });
    const lines = changes.map((c) => `${c.sha ? `100644 ${c.sha}` : `0 ${zero}`}\t${c.path}\0`).join('');
    if (lines) git(['update-index', '-z', '--index-info'], { cwd: repo.workTree, env, input: lines });
    return git(['write-tree'], { cwd: repo.workTree, env }).trim();
  } finally {
    rmSync(file, { force: true });
    rmSync(`${file}.lock`, { force: true });
  }
}

/**
 * The parent's root tree and the trees on the way to each changed path, read with one
 * `cat-file` (after `git gc` they are packed, where the patch cannot read them itself);
 * null when a directory's name cannot be asked on a line (a line break in it).
 */
function treesOnTheWay(repo: Repo, parent: string, changes: TreeChange[]): { root: string; known: KnownTrees } | null {
  const dirs = [...new Set(changes.flatMap((c) => ancestors(c.path)))];
  if (!dirs.every(batchable)) return null;
  const objs = readObjects(repo, [`${parent}^{tree}`, ...dirs.map((d) => `${parent}:${d}`)], true);
  if (objs[0]?.type !== 'tree') return null;
  const known = new Map<string, { type: string; body: Buffer }>();
  for (const o of objs) if (o) known.set(o.sha, o);
  return { root: objs[0].sha, known };
}

/**
 * The root tree of commit `parent` (null: an empty tree) with `changes` applied: every
 * path checked as git checks it, file/directory collisions refused. The fast path patches
 * the parent's tree objects in memory (loose ones as the last write left them, packed
 * ones read with one `cat-file`); git plumbing is the fallback (`TACK_FAULT=plumbing`
 * forces it in tests).
 */
export function buildTree(repo: Repo, parent: string | null, changes: TreeChange[]): string {
  for (const c of changes) if (c.sha !== null) assertGitPath(c.path);
  const clash = fileDirClash(changes.filter((c) => c.sha !== null).map((c) => c.path));
  if (clash) throw clashError(clash.file, clash.under, 'change');
  if (!forcedPlumbing()) {
    const parentTree = parent ? looseCommitTree(repo, parent) : null;
    const recent = { get: (sha: string) => recentTree(repo, sha) };
    const patched = parent === null || parentTree ? patchTrees(repo, parentTree, changes, recent) : null;
    if (patched) return patched;
    const read = parent ? treesOnTheWay(repo, parent, changes) : null;
    const fromPacks = read ? patchTrees(repo, read.root, changes, read.known) : null;
    if (fromPacks) return fromPacks;
  }
  return writeTreeWithGit(repo, parent, changes);
}
