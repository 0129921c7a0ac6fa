import { git, gitRaw } from './run.js';
import { hashObject, zeroOid, type ObjectFormat } from './objectFormat.js';
import type { Repo } from './repo.js';
import { OVERSIZE } from '../model/boundedYaml.js';

export interface TreeEntry {
  mode: string;
  type: string;
  sha: string;
  path: string;
}

export interface DiffEntry {
  oldSha: string;
  newSha: string;
  /** Mode of the new version (100644, 100755, 120000, 160000); '' when deleted. */
  newMode: string;
  /** A added, M modified, D deleted, T type change */
  status: string;
  path: string;
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
): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let unique = [...new Set(shas)];
  if (unique.length === 0) return out;
  if (Number.isFinite(maxBytes)) {
    const sizes = git(['cat-file', '--batch-check=%(objectsize)'], {
      cwd: repo.workTree,
      input: `${unique.join('\n')}\n`,
    }).split('\n');
    unique = unique.filter((sha, i) => {
      const size = Number(sizes[i]);
      if (!(size > maxBytes)) return true;
      out.set(sha, Object.assign(Buffer.alloc(0), { [OVERSIZE]: size }));
      return false;
    });
    if (unique.length === 0) return out;
  }
  const buf = gitRaw(['cat-file', '--batch'], { cwd: repo.workTree, input: `${unique.join('\n')}\n` }).stdout;
  let pos = 0;
  for (const sha of unique) {
    const nl = buf.indexOf(10, pos);
    const header = buf.toString('utf8', pos, nl);
    pos = nl + 1;
    if (header.endsWith(' missing')) continue;
    const size = Number(header.slice(header.lastIndexOf(' ') + 1));
    out.set(sha, buf.subarray(pos, pos + size));
    pos += size + 1;
  }
  return out;
}

export function readBlobText(repo: Repo, sha: string): string | null {
  const b = readBlobs(repo, [sha]).get(sha);
  return b ? b.toString('utf8') : null;
}

/** The file at `path` in commit `rev`, or null. */
export function readFileAt(repo: Repo, rev: string, path: string): string | null {
  const res = gitRaw(['cat-file', 'blob', '--end-of-options', `${rev}:${path}`], {
    cwd: repo.workTree,
    okCodes: [128],
  });
  return res.status === 0 ? res.stdout.toString('utf8') : null;
}

/** All files under `prefix` (e.g. "tickets/") at `rev`, recursively. */
export function lsTree(repo: Repo, rev: string, prefix = ''): TreeEntry[] {
  const args = ['ls-tree', '-r', '-z', '--full-tree', rev];
  if (prefix) args.push('--', prefix);
  const out = git(args, { cwd: repo.workTree });
  const entries: TreeEntry[] = [];
  for (const rec of out.split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, type, sha] = rec.slice(0, tab).split(' ');
    entries.push({ mode, type, sha, path: rec.slice(tab + 1) });
  }
  return entries;
}

export function parseRawDiff(tokens: string[], start = 0): { entries: DiffEntry[]; next: number } {
  const entries: DiffEntry[] = [];
  let i = start;
  while (i < tokens.length) {
    const t = tokens[i].replace(/^\n/, '');
    if (!t.startsWith(':')) break;
    const [, newMode, oldSha, newSha, status] = t.slice(1).split(' ');
    entries.push({ oldSha, newSha, newMode: status[0] === 'D' ? '' : newMode, status: status[0], path: tokens[i + 1] });
    i += 2;
  }
  return { entries, next: i };
}

/** What changed under `prefix` between two commits (`from` null: everything is added). */
export function diffTree(repo: Repo, from: string | null, to: string, prefix = ''): DiffEntry[] {
  if (from === null) {
    return lsTree(repo, to, prefix).map((e) => ({
      oldSha: zeroOid(repo),
      newSha: e.sha,
      newMode: e.mode,
      status: 'A',
      path: e.path,
    }));
  }
  const args = ['diff-tree', '-r', '-z', '--no-renames', from, to];
  if (prefix) args.push('--', prefix);
  const out = git(args, { cwd: repo.workTree });
  return parseRawDiff(out.split('\0')).entries;
}

/** The id git gives a blob with this content in a repository of this object format. */
export function blobId(content: string | Buffer, format: ObjectFormat): string {
  return hashObject(format, 'blob', typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
}
