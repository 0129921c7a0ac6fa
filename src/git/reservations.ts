import { parseReservationsMessage, RESERVATIONS_REF, type Reservation } from '../model/reservation.js';
import { readLeaseRef } from './leases.js';
import { gitRaw } from './run.js';
import type { Repo } from './repo.js';

/**
 * The reservations this clone knows (the lease commit of refs/tack/reservations), read
 * from the files in .git: the pre-commit hook asks on every commit and must not wait.
 */
export function readReservations(repo: Repo): { sha: string | null; list: Reservation[] } {
  const cur = readLeaseRef(repo, RESERVATIONS_REF);
  return cur ? { sha: cur.sha, list: parseReservationsMessage(cur.message) } : { sha: null, list: [] };
}

/**
 * The paths staged for the next commit, as git names them. The index read is the one
 * git points the hook at (GIT_INDEX_FILE, for `git commit -a` or `git commit PATH`);
 * renames count as their new path, deletions too (deleting a reserved file is an edit).
 */
export function stagedPaths(repo: Repo, max: number): string[] {
  const res = gitRaw(['diff', '--cached', '--name-only', '-z', '--no-renames', '--no-ext-diff'], {
    cwd: repo.workTree,
  });
  const out: string[] = [];
  for (const p of res.stdout.toString('utf8').split('\0')) {
    if (!p) continue;
    out.push(p);
    if (out.length >= max) break;
  }
  return out;
}
