import { git, gitRaw } from './run.js';
import { zeroOid } from './objectFormat.js';
import type { Repo } from './repo.js';

/* The files of a tree (`ls-tree`) and what changed between two (`diff-tree`, a raw log's changes). */

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

/** All files under `prefix` (e.g. "tickets/") at `rev`, recursively. */
export function lsTree(repo: Repo, rev: string, prefix = ''): TreeEntry[] {
  const entries: TreeEntry[] = [];
  eachTreeEntry(repo, rev, prefix, (e) => entries.push(e));
  return entries;
}

/**
 * The files under `prefix` at `rev`, one at a time and none kept: each entry's strings are
 * copies, so one kept does not keep git's whole answer alive (a sliced string would: at
 * 100,000 files, 8 MB behind each path kept).
 */
export function eachTreeEntry(repo: Repo, rev: string, prefix: string, visit: (e: TreeEntry) => void): void {
  const args = ['ls-tree', '-r', '-z', '--full-tree', rev];
  if (prefix) args.push('--', prefix);
  eachTreeRecord(gitRaw(args, { cwd: repo.workTree }).stdout, visit);
}

/** The records of an `ls-tree -z` answer, one at a time, their strings copies (see eachTreeEntry). */
export function eachTreeRecord(out: Buffer, visit: (e: TreeEntry) => void): void {
  // "<mode> SP <type> SP <object> TAB <path> NUL": the first three hold no TAB or NUL.
  for (let at = 0; at < out.length; ) {
    const end = out.indexOf(0, at);
    const stop = end < 0 ? out.length : end;
    const tab = out.indexOf(9, at);
    const sp1 = out.indexOf(32, at);
    const sp2 = sp1 < 0 ? -1 : out.indexOf(32, sp1 + 1);
    if (sp2 > 0 && sp2 < tab && tab < stop)
      visit({
        mode: out.toString('latin1', at, sp1),
        type: out.toString('latin1', sp1 + 1, sp2),
        sha: out.toString('latin1', sp2 + 1, tab),
        path: out.toString('utf8', tab + 1, stop),
      });
    at = stop + 1;
  }
}

export function parseRawDiff(tokens: string[], start = 0): { entries: DiffEntry[]; next: number } {
  const entries: DiffEntry[] = [];
  let i = start;
  while (i < tokens.length) {
    const t = tokens[i].replace(/^\n/, '');
    if (!t.startsWith(':')) break;
    const [, newMode, oldSha, newSha, status] = t.slice(1).split(' ');
    entries.push({
      oldSha: ownOid(oldSha),
      newSha: ownOid(newSha),
      newMode: status[0] === 'D' ? '' : (TREE_MODES.get(newMode) ?? newMode),
      status: status[0],
      path: tokens[i + 1],
    });
    i += 2;
  }
  return { entries, next: i };
}

/** The modes a tree entry can have, one string each: not a copy per change read. */
const TREE_MODES = new Map(['100644', '100755', '120000', '040000', '160000'].map((m) => [m, m]));

/** The all-zero id of each length (an added or deleted file's other side), shared. */
const ZERO_OIDS = new Map<number, string>();

/**
 * An object id of a raw diff line, as a string of its own: a slice of it (what `split` gives)
 * keeps the whole line alive, ~100 bytes more per change. A full build holds a window of
 * 50,000 changes: at 100,000 tickets on Node 24 it peaked at 134–136 MiB instead of 139–152.
 */
function ownOid(sha: string): string {
  const zero = /^0+$/.test(sha);
  const shared = zero ? ZERO_OIDS.get(sha.length) : undefined;
  if (shared !== undefined) return shared;
  const own = Buffer.from(sha, 'latin1').toString('latin1');
  if (zero) ZERO_OIDS.set(sha.length, own);
  return own;
}

/** What changed under `prefix` between two commits (`from` null: everything is added). */
export function diffTree(repo: Repo, from: string | null, to: string, prefix = ''): DiffEntry[] {
  if (from === null) {
    // One string for all: '0'.repeat() builds a tree of string pieces per call (12 MB at 100,000 files).
    const zero = zeroOid(repo);
    return lsTree(repo, to, prefix).map((e) => ({
      oldSha: zero,
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
