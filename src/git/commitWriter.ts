import { gitDate, resolveIdentity, stamp, type Signature } from './identity.js';
import { writeLooseObject } from './treePatch.js';
import { PACKED_BLOBS_FROM, writePackedBlobs } from './packedBlobs.js';
import { buildTree, type TreeChange } from './treeBuilder.js';
import { casRef } from './refs.js';
import { git } from './run.js';
import { faultPoint } from './fault.js';
import type { Repo } from './repo.js';

/**
 * One path to write (content) or delete (null) in the new commit, or to point at a blob
 * already in the object store (`blob`: a write too large to hold its files in memory packs
 * them as it computes them, see BlobPack).
 */
export type FileChange = { path: string; content: string | null; blob?: undefined } | WrittenBlob;

export interface WrittenBlob {
  path: string;
  blob: string;
  content?: undefined;
}

export interface CommitRequest {
  ref: string;
  /** The commit the change is based on; null for the first commit of the ref. */
  parent: string | null;
  changes: FileChange[];
  message: string;
  /** ISO time for author and committer (tests, imports); default: now. */
  date?: string;
  sign?: boolean;
  /** Runs once the commit object exists, before the ref moves (a throw leaves the ref alone). */
  beforeRef?: (blobs: Map<string, string | null>) => void;
}

export interface CommitResult {
  commit: string;
  tree: string;
  /** path → blob id written (null for deletions) */
  blobs: Map<string, string | null>;
  /** Author and committer as recorded, when Tack chose them (null: git did). */
  author: Signature | null;
  committer: Signature | null;
}

/** Write a blob as a loose object, as git itself does (deflate, temp file, rename): no process to spawn. */
export function writeBlob(repo: Repo, content: string): string {
  return writeLooseObject(repo, 'blob', Buffer.from(content, 'utf8'));
}

/** path → blob id (null: deleted) of a commit's changes: loose objects, or one pack for many. */
function writeBlobs(repo: Repo, changes: FileChange[]): Map<string, string | null> {
  const blobs = new Map<string, string | null>();
  const written = changes.filter((ch): ch is { path: string; content: string } => typeof ch.content === 'string');
  const packed =
    written.length >= PACKED_BLOBS_FROM
      ? writePackedBlobs(
          repo,
          written.map((ch) => ch.content),
        )
      : null;
  let n = 0;
  for (const ch of changes) {
    if (ch.blob !== undefined) blobs.set(ch.path, ch.blob);
    else blobs.set(ch.path, ch.content === null ? null : (packed?.[n++] ?? writeBlob(repo, ch.content)));
  }
  return blobs;
}

export interface CommitSignatures {
  author: Signature | null;
  committer: Signature | null;
}

/**
 * Who and when, decided before the commit is made so the index can record the commit
 * without asking git; when the identity is not known from env and config files, git
 * decides (and says so if it cannot).
 */
export function signaturesFor(repo: Repo, date?: string): CommitSignatures {
  const id = resolveIdentity(repo);
  if (!id) return { author: null, committer: null };
  const when = stamp(date);
  return { author: { ...id.author, ...when }, committer: { ...id.committer, ...when } };
}

export function commitTree(
  repo: Repo,
  tree: string,
  parents: string[],
  message: string,
  sigs: CommitSignatures,
  date?: string,
  sign = false,
): string {
  const args = ['commit-tree', tree];
  for (const p of parents) args.push('-p', p);
  // commit.gpgsign would make commit-tree sign, and a locked key would hang or fail a write.
  args.push(sign ? '-S' : '--no-gpg-sign');
  const env: Record<string, string> = {};
  if (sigs.author && sigs.committer) {
    Object.assign(env, {
      GIT_AUTHOR_NAME: sigs.author.name,
      GIT_AUTHOR_EMAIL: sigs.author.email,
      GIT_AUTHOR_DATE: gitDate(sigs.author),
      GIT_COMMITTER_NAME: sigs.committer.name,
      GIT_COMMITTER_EMAIL: sigs.committer.email,
      GIT_COMMITTER_DATE: gitDate(sigs.committer),
    });
  } else if (date) Object.assign(env, { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  return git(args, { cwd: repo.workTree, input: message, env }).trim();
}

/**
 * The commit object itself, when Tack knows who and when (unsigned commits only): the
 * same bytes `git commit-tree` writes, without the process.
 */
export function writeCommitObject(
  repo: Repo,
  tree: string,
  parents: string[],
  message: string,
  sigs: CommitSignatures,
): string | null {
  if (!sigs.author || !sigs.committer) return null;
  const who = (s: Signature) => `${s.name} <${s.email}> ${gitDate(s)}`;
  const head = [
    `tree ${tree}`,
    ...parents.map((p) => `parent ${p}`),
    `author ${who(sigs.author)}`,
    `committer ${who(sigs.committer)}`,
  ];
  return writeLooseObject(repo, 'commit', Buffer.from(`${head.join('\n')}\n\n${message}`, 'utf8'));
}

/**
 * Create one commit on `ref` from `parent` plus the changes, and move the ref with a
 * compare-and-swap. Returns null when the ref moved meanwhile (the caller re-reads and
 * retries); the objects written for a lost race are unreferenced and harmless.
 */
export function writeCommit(repo: Repo, req: CommitRequest): CommitResult | null {
  const blobs = writeBlobs(repo, req.changes);
  faultPoint('after-blobs');
  const sigs = signaturesFor(repo, req.date);
  const parents = req.parent ? [req.parent] : [];
  const finish = (tree: string): CommitResult | null => {
    faultPoint('after-tree');
    const commit =
      (!req.sign && writeCommitObject(repo, tree, parents, req.message, sigs)) ||
      commitTree(repo, tree, parents, req.message, sigs, req.date, req.sign);
    faultPoint('after-commit-object');
    req.beforeRef?.(blobs);
    const firstLine = req.message.split('\n', 1)[0];
    if (!casRef(repo, req.ref, commit, req.parent, `tack: ${firstLine}`)) return null;
    faultPoint('after-ref');
    return { commit, tree, blobs, ...sigs };
  };
  const entries: TreeChange[] = [];
  for (const [path, sha] of blobs) entries.push({ path, sha });
  return finish(buildTree(repo, req.parent, entries));
}
