import { TackError } from '../model/errors.js';
import { readRef } from './refs.js';
import { remoteArgs, trackingRef } from './remote.js';
import { gitRaw } from './run.js';
import type { Repo } from './repo.js';

/**
 * Several refs in one connection to a remote: every connection to a slow or distant remote
 * costs a round trip (and, over ssh, a login), so sync fetches all it needs at once and
 * pushes all it has at once.
 */

/** `+src:dst`; a src ending in `*` is a pattern. */
export interface FetchSpec {
  src: string;
  dst: string;
  /**
   * The remote may well lack it (notes, reservations): fetched as the pattern `src*:dst*`
   * with pruning, so its absence costs no second fetch and removes our stale copy. Refs
   * that merely share the prefix come along; readers look at `dst` alone.
   */
  optional?: boolean;
}

const refspec = (s: FetchSpec): string => (s.optional ? `+${s.src}*:${s.dst}*` : `+${s.src}:${s.dst}`);

const MISSING = /couldn't find remote ref (\S+)/i;

/**
 * One `git fetch` of every spec (forced, no tags). A remote without one of the explicit
 * sources fails the whole fetch, so that spec is dropped and the fetch made again (once per
 * missing ref: the first sync with a new remote); returns the sources the remote lacks
 * (an optional spec's absence shows as its `dst` gone instead). `prune` removes local refs
 * under a pattern's destination that the remote no longer has.
 */
export function fetchRefs(repo: Repo, remote: string, specs: FetchSpec[], o: { prune?: boolean } = {}): Set<string> {
  const missing = new Set<string>();
  let left = [...specs];
  while (left.length) {
    const res = gitRaw(
      [
        'fetch',
        '--quiet',
        '--no-tags',
        // A fetch would start the repository's `gc --auto` (all of it, however big) inside a
        // sync; Tack packs what it writes itself (housekeeping.ts), the user's git the rest.
        '--no-auto-maintenance',
        ...(o.prune || left.some((s) => s.optional) ? ['--prune'] : []),
        ...remoteArgs(remote),
        ...left.map(refspec),
      ],
      { cwd: repo.workTree, okCodes: [1, 128] },
    );
    if (res.status === 0) return missing;
    const gone = MISSING.exec(res.stderr)?.[1];
    if (!gone || !left.some((s) => s.src === gone)) {
      throw new TackError(
        'git_failed',
        `git fetch ${remote} failed: ${res.stderr.trim()}; expected a reachable remote`,
        {
          remote,
          stderr: res.stderr.trim(),
        },
      );
    }
    missing.add(gone);
    left = left.filter((s) => s.src !== gone);
  }
  return missing;
}

/** One ref to push: `sha` to the remote's `dst`; `track` is moved to `sha` here once the remote took it. */
export interface RefUpdate {
  sha: string;
  dst: string;
  track?: string;
}

export interface RefPushResult {
  ok: boolean;
  /** git's summary when the remote refused this ref (non-fast-forward, hook). */
  reason?: string;
}

/**
 * One `git push` of several refs, not atomic: each ref is taken or refused on its own
 * (each is a fast-forward check of its own, and a refused one must not hold back the
 * others: notes never fail a ticket sync). Throws only when git gave no verdict on a ref
 * (the remote could not be reached).
 */
export function pushRefs(repo: Repo, remote: string, updates: RefUpdate[]): Map<string, RefPushResult> {
  const out = new Map<string, RefPushResult>();
  if (!updates.length) return out;
  const res = gitRaw(['push', '--porcelain', ...remoteArgs(remote), ...updates.map((u) => `${u.sha}:${u.dst}`)], {
    cwd: repo.workTree,
    okCodes: [1, 128],
  });
  const text = res.stdout.toString('utf8');
  // Porcelain: "<flag>\t<from>:<to>\t<summary> (<reason>)"; "!" is a rejection.
  const lines = text.split('\n');
  for (const u of updates) {
    const line = lines.find((l) => l.split('\t')[1]?.endsWith(`:${u.dst}`));
    if (!line) {
      throw new TackError(
        'git_failed',
        `git push ${remote} failed: ${(res.stderr || text).trim() || 'no message'}; expected a reachable remote that accepts pushes`,
        { remote },
      );
    }
    if (line.startsWith('!')) out.set(u.dst, { ok: false, reason: line.split('\t')[2] ?? 'rejected' });
    else out.set(u.dst, { ok: true });
  }
  const moved = updates.filter((u) => u.track && out.get(u.dst)?.ok);
  if (moved.length) {
    gitRaw(['update-ref', '--stdin'], {
      cwd: repo.workTree,
      input: moved.map((u) => `update ${u.track} ${u.sha}\n`).join(''),
    });
  }
  return out;
}

/**
 * Fetch `branch` from `remote` into its remote-tracking ref; returns the fetched commit,
 * or null when the remote has no such branch yet.
 */
export function fetchBranch(repo: Repo, remote: string, branch: string): string | null {
  const src = `refs/heads/${branch}`;
  if (fetchRefs(repo, remote, [{ src, dst: trackingRef(remote, branch) }]).has(src)) return null;
  return readRef(repo, trackingRef(remote, branch));
}

/** Push a commit to `refs/heads/<branch>` of the remote; a rejection is an answer, not an error. */
export function pushBranch(repo: Repo, remote: string, commit: string, branch: string): RefPushResult {
  const dst = `refs/heads/${branch}`;
  return pushRefs(repo, remote, [{ sha: commit, dst, track: trackingRef(remote, branch) }]).get(dst)!;
}
