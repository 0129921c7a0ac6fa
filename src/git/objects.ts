import { git, gitRaw } from './run.js';
import { hashObject, objectFormat, type ObjectFormat } from './objectFormat.js';
import type { Repo } from './repo.js';
import { OVERSIZE } from '../model/boundedYaml.js';
import { batches } from '../model/batches.js';
import { BlobFile } from './blobFile.js';
import { liveCatFile } from './liveCatFile.js';
import { readRef } from './refs.js';
import { looseCommitTree, looseTreeEntry, readLooseObject } from './treePatch.js';
import { eachTreeRecord } from './treeListing.js';

/** What a file whose blob git does not have is (a damaged repository), as a problem of that file. */
export function missingBlobProblem(sha: string): string {
  return `git has no blob ${sha} for this file (a damaged or incomplete repository: see \`git fsck\`); expected the ticket's content`;
}

/**
 * Read many blobs with one `cat-file --batch` (tens of thousands per second). With
 * `maxBytes`, sizes come first from the object headers (`--batch-check`) and a larger blob
 * is never read: it maps to an empty buffer carrying its size under OVERSIZE, which
 * fileText turns into the file's "too large" problem.
 */
export function readBlobs(
  repo: Repo,
  shas: readonly string[],
  maxBytes = Number.POSITIVE_INFINITY,
  from?: BlobFile,
): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let unique = [...new Set(shas)];
  if (from)
    unique = unique.filter((sha) => {
      const b = from.take(sha);
      if (b) out.set(sha, b);
      return !b;
    });
  const few = unique.length <= LOOSE_FIRST;
  // A write reads a ticket, commits, then indexes the change reading the ticket's old and new
  // versions again: the old one is a blob just read, the new one a loose object just written.
  if (few) unique = unique.filter((sha) => !takeRecentBlob(repo, sha, maxBytes, out));
  if (few) unique = unique.filter((sha) => !takeLooseBlob(repo, sha, maxBytes, out));
  if (unique.length === 0) return out;
  if (Number.isFinite(maxBytes)) {
    const sizes = blobSizes(repo, unique);
    unique = unique.filter((sha, i) => {
      const size = sizes[i];
      if (!(size > maxBytes)) return true;
      out.set(sha, Object.assign(Buffer.alloc(0), { [OVERSIZE]: size }));
      return false;
    });
    if (unique.length === 0) return out;
  }
  readObjects(repo, unique).forEach((obj, i) => {
    if (!obj) return;
    out.set(unique[i], obj.body);
    if (few) recent.remember(repo, unique[i], obj.body);
  });
  return out;
}

/** Below this many blobs, asking git for their sizes and a file of them costs more than it saves. */
const MANY_BLOBS = 256;

/**
 * Many blobs written by one `cat-file` into a BlobFile, with their sizes (one `cat-file
 * --batch-check`); null below MANY_BLOBS, when reading them directly is cheaper. One process
 * for them all keeps git's delta cache warm (see BlobFile).
 */
export function blobFileOf(repo: Repo, shas: Iterable<string>, maxBytes: number): BlobFile | null {
  const unique = [...new Set(shas)];
  if (unique.length < MANY_BLOBS) return null;
  return new BlobFile(repo, unique, blobSizes(repo, unique), maxBytes);
}

/**
 * The blobs `shas`, for a reader that asks for them one at a time: many are read from one
 * BlobFile when asked (memory holds one, whatever their number and size), few at once. A
 * blob over `maxBytes` is an empty buffer carrying its size under OVERSIZE; one git has not
 * is undefined. Close it when done.
 */
export function blobSource(
  repo: Repo,
  shas: readonly string[],
  maxBytes: number,
): { get(sha: string): Buffer | undefined; close(): void } {
  const many = blobFileOf(repo, shas, maxBytes);
  if (many) return { get: (sha) => many.take(sha), close: () => many.close() };
  const read = readBlobs(repo, shas, maxBytes);
  return { get: (sha) => read.get(sha), close: () => {} };
}

/** Objects' sizes from their headers, in one `cat-file --batch-check` (NaN: no such object). */
export function blobSizes(repo: Repo, shas: readonly string[]): number[] {
  if (shas.length === 0) return [];
  // --buffer: one write at the end instead of one per object (0.52 -> 0.34 s for 127,000).
  return git(['cat-file', '--batch-check=%(objectsize)', '--buffer'], {
    cwd: repo.workTree,
    input: `${shas.join('\n')}\n`,
  })
    .split('\n')
    .slice(0, shas.length)
    .map(Number);
}

export interface GitObject {
  sha: string;
  type: string;
  body: Buffer;
}

/** Whether `name` can be asked on a line of `cat-file --batch` (see readObjects). */
export function batchable(name: string): boolean {
  return !/[\r\n\0]/.test(name);
}

/**
 * Objects named by ids or expressions (`<commit>^{tree}`, `<commit>:<dir>`), in order, with
 * one `cat-file --batch`; null where git has none. A name holding a line break or a NUL
 * cannot be asked this way: the caller asks otherwise. With `lenient`, git stopping on a malformed
 * object (a hostile fetch can leave one) answers null from there on instead of throwing.
 */
export function readObjects(repo: Repo, names: readonly string[], lenient = false): Array<GitObject | null> {
  if (names.length === 0) return [];
  if (!names.every(batchable)) throw new Error('readObjects: a name with a line break or a NUL');
  const input = `${names.join('\n')}\n`;
  const buf = gitRaw(['cat-file', '--batch'], { cwd: repo.workTree, input, okCodes: lenient ? [128] : [] }).stdout;
  let pos = 0;
  return names.map(() => {
    const nl = buf.indexOf(10, pos);
    if (nl < 0) return null;
    const header = buf.toString('utf8', pos, nl).split(' ');
    pos = nl + 1;
    // "<name> missing" (or "ambiguous"): a name git cannot answer.
    if (header.length !== 3 || !/^\d+$/.test(header[2])) return null;
    const size = Number(header[2]);
    if (pos + size > buf.length) return null;
    const body = buf.subarray(pos, pos + size);
    pos += size + 1;
    return { sha: header[0], type: header[1], body };
  });
}

export function readBlobText(repo: Repo, sha: string): string | null {
  const b = readBlobs(repo, [sha]).get(sha);
  return b ? b.toString('utf8') : null;
}

/** Up to this many blobs, readBlobs looks for loose objects before starting git. */
const LOOSE_FIRST = 64;

/*
 * The last few small objects read from git, by repository and id (an id's content never
 * changes): bounded in count and size, so a long-lived server keeps at most a few MiB.
 * Blobs: a write reads a ticket, then indexes its old version. Trees: a packed shard of the
 * fan-out layout, read with the ticket a write changes, for the write's tree patch.
 */
class RecentObjects {
  private readonly byKey = new Map<string, Buffer>();
  constructor(private readonly maxBytes: number) {}

  remember(repo: Repo, sha: string, body: Buffer): void {
    if (body.length > this.maxBytes) return;
    if (this.byKey.size >= RECENT_COUNT) this.byKey.delete(this.byKey.keys().next().value!);
    // A copy: the slice would keep git's whole answer (every object of the batch) alive.
    this.byKey.set(`${repo.commonDir}\0${sha}`, Buffer.from(body));
  }

  get(repo: Repo, sha: string): Buffer | undefined {
    return this.byKey.get(`${repo.commonDir}\0${sha}`);
  }
}

const RECENT_COUNT = 32;
const recent = new RecentObjects(128 * 1024);
const recentTrees = new RecentObjects(64 * 1024);

/** A tree read from git recently (with a ticket: see readFileAt), by id. */
export function recentTree(repo: Repo, sha: string): GitObject | undefined {
  const body = recentTrees.get(repo, sha);
  return body && { sha, type: 'tree', body };
}

/**
 * A tree object the caller put together (from the index's list of files), offered to the
 * tree patch as if read from git; returns its id. Objects are named by their content, so it
 * is used only where a parent tree names exactly these bytes: a wrong guess is never used.
 */
export function offerTree(repo: Repo, body: Buffer): string {
  const sha = hashObject(objectFormat(repo), 'tree', body);
  recentTrees.remember(repo, sha, body);
  return sha;
}

function takeRecentBlob(repo: Repo, sha: string, maxBytes: number, out: Map<string, Buffer>): boolean {
  const body = recent.get(repo, sha);
  if (!body || body.length > maxBytes) return false;
  out.set(sha, body);
  return true;
}

function takeLooseBlob(repo: Repo, sha: string, maxBytes: number, out: Map<string, Buffer>): boolean {
  const obj = readLooseObject(repo, sha, maxBytes);
  if (obj?.type !== 'blob') return false;
  out.set(sha, obj.body);
  return true;
}

const FULL_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
/** Ref names read from .git's files here; anything else (`tack~2`, `v1`, a dot) goes to git. */
const PLAIN_REF = /^refs\/[A-Za-z0-9_\-/]+$/;

/**
 * readFileAt from loose objects alone, as a write leaves them: the text, null when the
 * commit has no such file, undefined when an object on the way is not loose (ask git).
 */
function looseFileAt(repo: Repo, rev: string, path: string): string | null | undefined {
  const commit = FULL_ID.test(rev) ? rev : PLAIN_REF.test(rev) ? readRef(repo, rev) : null;
  let tree = commit ? looseCommitTree(repo, commit) : null;
  const parts = path.split('/');
  if (!tree || parts.some((p) => p === '' || p === '.' || p === '..')) return undefined;
  for (const [i, part] of parts.entries()) {
    const entry = looseTreeEntry(repo, tree, part, (sha) => recentTrees.get(repo, sha));
    if (!entry) return entry;
    if (i < parts.length - 1) {
      if (entry.mode !== '40000') return null;
      tree = entry.sha;
    } else if (entry.mode === '40000' || entry.mode === '160000') {
      return null; // git answers "not a blob" for a directory or a submodule
    } else {
      return readBlobs(repo, [entry.sha]).get(entry.sha)?.toString('utf8') ?? null;
    }
  }
  return undefined;
}

/**
 * From this many paths on, readFilesAt lists their directories first. Git resolves each
 * `rev:path` from the root tree down, inflating every tree on the way again: 14,319 tickets
 * of a 100,000-ticket fan-out store took 12.6 s of `cat-file`, where their shards' listing
 * took 0.07 s and their blobs by id 0.4 s. Below it, the listing costs more than it saves.
 */
const LIST_DIRS_FROM = 64;
/** Directories listed per `ls-tree`: a bounded command line whatever the store's layout. */
const DIRS_PER_LIST = 500;

/**
 * Many files at commit `rev` (path → text) with one `cat-file --batch`; a path that is no
 * file there is left out. A bulk edit of 34,000 tickets read them one git process each: more
 * than ten minutes before its commit.
 */
export function readFilesAt(repo: Repo, rev: string, paths: readonly string[]): Map<string, string> {
  const listed = paths.length >= LIST_DIRS_FROM ? readListedFilesAt(repo, rev, paths) : null;
  if (listed) return listed;
  const out = new Map<string, string>();
  const asked = paths.filter((p) => batchable(`${rev}:${p}`));
  readObjects(
    repo,
    asked.map((p) => `${rev}:${p}`),
    true,
  ).forEach((obj, i) => {
    if (obj?.type === 'blob') out.set(asked[i], obj.body.toString('utf8'));
  });
  return out;
}

/**
 * readFilesAt for many paths: their directories listed (or a root-level file itself), then
 * the blobs by id. Null when git refuses a listing (a path it will not take as a pathspec,
 * such as `../x`, or no such revision): the caller asks path by path, as for a few.
 */
function readListedFilesAt(repo: Repo, rev: string, paths: readonly string[]): Map<string, string> | null {
  const wanted = new Set(paths.filter((p) => !p.includes('\0'))); // no git name holds one
  const specs = [...new Set([...wanted].map((p) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/') + 1) : p)))];
  const shaOf = new Map<string, string>();
  for (const part of batches(specs, DIRS_PER_LIST)) {
    // Literal pathspecs: a path is never read as pathspec magic (`:(glob)…`).
    const listing = gitRaw(['ls-tree', '-r', '-z', '--full-tree', '--end-of-options', rev, '--', ...part], {
      cwd: repo.workTree,
      env: { GIT_LITERAL_PATHSPECS: '1' },
      okCodes: [128],
    });
    if (listing.status !== 0) return null;
    eachTreeRecord(listing.stdout, (e) => {
      if (e.type === 'blob' && wanted.has(e.path)) shaOf.set(e.path, e.sha);
    });
  }
  const blobs = readBlobs(repo, [...new Set(shaOf.values())]);
  const out = new Map<string, string>();
  for (const [path, sha] of shaOf) {
    const body = blobs.get(sha);
    if (body) out.set(path, body.toString('utf8'));
  }
  return out;
}

/** The file at `path` in commit `rev`, or null. */
export function readFileAt(repo: Repo, rev: string, path: string): string | null {
  const loose = looseFileAt(repo, rev, path);
  if (loose !== undefined) return loose;
  const name = `${rev}:${path}`;
  if (!batchable(name)) {
    const res = gitRaw(['cat-file', 'blob', '--end-of-options', name], { cwd: repo.workTree, okCodes: [128] });
    return res.status === 0 ? res.stdout.toString('utf8') : null;
  }
  // As a batch, git names the blob: a write reads the ticket, then indexes its old version.
  // Of a commit, the directory holding the file comes along: the write's new tree patches it.
  const slash = path.lastIndexOf('/');
  const dir = FULL_ID.test(rev) && path.indexOf('/') < slash ? `${rev}:${path.slice(0, slash)}` : null;
  const objs = readObjects(repo, dir ? [dir, name] : [name], true);
  const [tree, obj] = dir ? objs : [null, objs[0]];
  if (tree?.type === 'tree') recentTrees.remember(repo, tree.sha, tree.body);
  if (obj?.type !== 'blob') return null;
  recent.remember(repo, obj.sha, obj.body);
  return obj.body.toString('utf8');
}

/**
 * Read the files at `paths` of commit `rev`, and the directories holding them, into the
 * recent objects, for readers about to ask for them one by one (a group of writes: each
 * would start its own batch). They come from this process's LiveCatFile: the write lane
 * does this before every group, and starting a git each time was a fifth of its time. Asks
 * for at most RECENT_COUNT files, so none pushes another out before it is read. A read that
 * fails leaves the readers to ask git themselves.
 */
export async function prefetchFilesAt(repo: Repo, rev: string, paths: readonly string[]): Promise<void> {
  if (!FULL_ID.test(rev)) return;
  const names: string[] = [];
  const dirs = new Set<string>();
  for (const path of paths.slice(0, RECENT_COUNT)) {
    const slash = path.lastIndexOf('/');
    const dir = slash > 0 ? `${rev}:${path.slice(0, slash)}` : null;
    if (dir && !dirs.has(dir) && batchable(dir)) {
      dirs.add(dir);
      names.push(dir);
    }
    if (batchable(`${rev}:${path}`)) names.push(`${rev}:${path}`);
  }
  let objects: Array<GitObject | null>;
  try {
    objects = await liveCatFile(repo).read(names);
  } catch {
    return;
  }
  for (const obj of objects) {
    if (obj?.type === 'tree') recentTrees.remember(repo, obj.sha, obj.body);
    else if (obj?.type === 'blob') recent.remember(repo, obj.sha, obj.body);
  }
}

/** The id git gives a blob with this content in a repository of this object format. */
export function blobId(content: string | Buffer, format: ObjectFormat): string {
  return hashObject(format, 'blob', typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
}
