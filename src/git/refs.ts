import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TackError } from '../model/errors.js';
import { git, gitRaw } from './run.js';
import { zeroOid } from './objectFormat.js';
import type { Repo } from './repo.js';

function readLoose(dir: string, name: string): string | null {
  const f = join(dir, name);
  try {
    return readFileSync(f, 'utf8').trim();
  } catch {
    return null;
  }
}

let packedCache: { path: string; mtimeMs: number; size: number; refs: Map<string, string> } | null = null;

function readPacked(commonDir: string, name: string): string | null {
  const path = join(commonDir, 'packed-refs');
  if (!existsSync(path)) return null;
  const st = statSync(path);
  if (!packedCache || packedCache.path !== path || packedCache.mtimeMs !== st.mtimeMs || packedCache.size !== st.size) {
    const refs = new Map<string, string>();
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line || line[0] === '#' || line[0] === '^') continue;
      const sp = line.indexOf(' ');
      refs.set(line.slice(sp + 1), line.slice(0, sp));
    }
    packedCache = { path, mtimeMs: st.mtimeMs, size: st.size, refs };
  }
  return packedCache.refs.get(name) ?? null;
}

/**
 * Resolve a ref to a commit id from the files in .git, without spawning git. Follows
 * symbolic refs (HEAD). Returns null when the ref does not exist. Repos using the
 * reftable backend fall back to git itself.
 */
export function readRef(repo: Repo, name: string, depth = 0): string | null {
  if (depth > 5) return null;
  const held = heldRef(repo, name);
  if (held) return held.tip;
  if (existsSync(join(repo.commonDir, 'reftable'))) return resolveRev(repo, name);
  // HEAD and other per-worktree refs live in the worktree's git dir.
  const perWorktree = name === 'HEAD' || !name.startsWith('refs/') || name.startsWith('refs/bisect/');
  const loose = readLoose(perWorktree ? repo.gitDir : repo.commonDir, name);
  if (loose !== null) {
    if (loose.startsWith('ref: ')) return readRef(repo, loose.slice(5).trim(), depth + 1);
    return /^[0-9a-f]{40,64}$/.test(loose) ? loose : null;
  }
  return readPacked(repo.commonDir, name);
}

/** What HEAD points at: a branch ref name, or null when detached. */
export function headBranch(repo: Repo): string | null {
  const head = readLoose(repo.gitDir, 'HEAD');
  if (head?.startsWith('ref: ')) return head.slice(5).trim();
  return null;
}

/** Any revision expression (`tack~5`, a sha, a tag) to a commit id, or null. */
export function resolveRev(repo: Repo, rev: string): string | null {
  const res = gitRaw(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], {
    cwd: repo.workTree,
    okCodes: [1, 128],
  });
  if (res.status !== 0) return null;
  return res.stdout.toString('utf8').trim() || null;
}

export function requireRev(repo: Repo, rev: string): string {
  const sha = resolveRev(repo, rev);
  if (!sha)
    throw new TackError(
      'not_found',
      `unknown revision "${rev}"; expected a commit, branch, tag or expression like tack~5`,
      { rev },
    );
  return sha;
}

/**
 * A revision or range (`A..B`, either side may be empty for HEAD) typed by a user, resolved
 * to commit ids, so what reaches git log or rev-list is never an option (`--output=…`).
 */
export function requireRange(repo: Repo, rev: string): { from: string | null; to: string } {
  const range = /^(.*?)\.\.(.*)$/.exec(rev);
  if (!range) return { from: null, to: requireRev(repo, rev) };
  return { from: requireRev(repo, range[1] || 'HEAD'), to: requireRev(repo, range[2] || 'HEAD') };
}

/**
 * Compare-and-swap a ref: move `name` to `next` only if it is still at `expected`
 * (null: only if it does not exist). Returns false when another writer won the race.
 */
export function casRef(repo: Repo, name: string, next: string, expected: string | null, reason: string): boolean {
  const held = heldRef(repo, name);
  if (held) {
    if (held.tip !== expected) return false;
    held.tip = next;
    held.reasons.push(reason);
    return true;
  }
  const res = gitRaw(['update-ref', '-m', reflogReason(reason), name, next, expected ?? zeroOid(repo)], {
    cwd: repo.workTree,
    okCodes: [1, 128],
  });
  if (res.status === 0) return true;
  if (/cannot lock ref|is at .* but expected|reference already exists|unable to resolve reference/.test(res.stderr))
    return false;
  throw new TackError('git_failed', `git update-ref ${name} failed: ${res.stderr.trim()}`);
}

/** The longest reflog reason given to git (the subject of a bulk close names every ticket). */
const REFLOG_CHARS = 1000;

/**
 * A reason git can be given: one line, no NUL (an argument with one cannot be passed at all),
 * at most REFLOG_CHARS (one argument of 128 KiB cannot either: a close of 34,000 tickets
 * failed with E2BIG after writing its objects).
 */
export function reflogReason(reason: string): string {
  const line = reason.replace(/[\0-\x1f\x7f]+/g, ' ');
  return line.length <= REFLOG_CHARS ? line : `${line.slice(0, REFLOG_CHARS - 1)}…`;
}

/*
 * A ref whose updates this process holds back (the server's write lane commits a group of
 * writes, one commit each, and moves the ref once): readRef and casRef in this process see
 * and move the held tip; other processes see the ref where it was until `publish`.
 */
const heldRefs = new Map<
  string,
  { base: string | null; tip: string | null; reasons: string[]; published: Array<() => void> }
>();

function heldKey(repo: Repo, name: string): string {
  return `${repo.commonDir}\u0000${name}`;
}

/** The held state of `name` in this process, if its updates are held (cheap when none is). */
function heldRef(repo: Repo, name: string) {
  return heldRefs.size > 0 ? heldRefs.get(heldKey(repo, name)) : undefined;
}

export interface HeldRef {
  /** Commits made on the held ref so far. */
  readonly commits: number;
  /**
   * Move the real ref from where it was to the held tip with one compare-and-swap, then run
   * what waited for it (whenPublished). False when another writer moved the ref meanwhile:
   * nothing is published and the held commits are left unreferenced.
   */
  publish(): boolean;
  /** Stop holding without publishing (the held commits are left unreferenced); no-op once published. */
  drop(): void;
}

/** Hold back updates of `name` in this process until `publish` (at most one holder per ref). */
export function holdRefUpdates(repo: Repo, name: string): HeldRef {
  const key = heldKey(repo, name);
  if (heldRefs.has(key)) throw new TackError('internal', `updates of ${name} are held already`);
  const base = readRef(repo, name);
  const held = { base, tip: base, reasons: [] as string[], published: [] as Array<() => void> };
  heldRefs.set(key, held);
  return {
    get commits() {
      return held.reasons.length;
    },
    publish() {
      heldRefs.delete(key);
      if (held.tip === held.base) return true;
      const [first, ...more] = held.reasons;
      const reason = more.length === 0 ? first : `${first} (and ${more.length} more commits)`;
      if (!casRef(repo, name, held.tip!, held.base, reason)) return false;
      for (const fn of held.published) fn();
      return true;
    },
    drop() {
      if (heldRefs.get(key) === held) heldRefs.delete(key);
    },
  };
}

/** Run `fn` once the ref's update is in git: now, or when its held updates are published. */
export function whenPublished(repo: Repo, name: string, fn: () => void): void {
  const held = heldRef(repo, name);
  if (held) held.published.push(fn);
  else fn();
}

/** Whether `ancestor` is in the history of `descendant`; false too when this clone lacks either commit. */
export function isAncestor(repo: Repo, ancestor: string, descendant: string): boolean {
  return (
    gitRaw(['merge-base', '--is-ancestor', ancestor, descendant], { cwd: repo.workTree, okCodes: [1, 128] }).status ===
    0
  );
}

export function listRefs(repo: Repo, pattern: string): Array<{ name: string; sha: string }> {
  const out = git(['for-each-ref', '--format=%(refname) %(objectname)', pattern], { cwd: repo.workTree });
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [name, sha] = l.split(' ');
      return { name, sha };
    });
}

export function hasCommits(repo: Repo): boolean {
  return readRef(repo, 'HEAD') !== null;
}
