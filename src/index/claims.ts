import { listLeaseRefs } from '../git/leaseRefs.js';
import type { Index } from './indexDb.js';

/** One lease as the index keeps it (table `claims`). */
export interface ClaimRow {
  ticket: string;
  sha: string;
  owner: string | null;
  expires: string | null;
  claimed: string | null;
}

/**
 * Bring the `claims` table in line with the lease refs. The refs are read from the
 * files in .git; only lease commits not seen before are read, and nothing is written
 * when nothing changed (the usual case), so `ready` stays cheap.
 */
export async function refreshClaims(idx: Index): Promise<void> {
  const db = idx.db;
  const refs = listLeaseRefs(idx.store.repo);
  const rows = db.prepare<{ ticket: string; sha: string }>('SELECT ticket, sha FROM claims').all();
  if (rows.length === refs.size && rows.every((r) => refs.get(r.ticket) === r.sha)) return;
  const known = new Map(rows.map((r) => [r.ticket, r.sha]));
  const fresh = [...refs].filter(([t, sha]) => known.get(t) !== sha).map(([, sha]) => sha);
  const { readLeaseCommits } = await import('../git/leases.js');
  const leases = readLeaseCommits(idx.store.repo, fresh);
  const put = db.prepare('INSERT OR REPLACE INTO claims(ticket, sha, owner, expires, claimed) VALUES (?, ?, ?, ?, ?)');
  const del = db.prepare('DELETE FROM claims WHERE ticket = ?');
  db.transaction(() => {
    for (const r of rows) if (!refs.has(r.ticket)) del.run(r.ticket);
    for (const [ticket, sha] of refs) {
      if (known.get(ticket) === sha) continue;
      const l = leases.get(sha) ?? null;
      // A finished lease holds nothing: no expiry, so no query counts it as held or as expired.
      put.run(ticket, sha, l?.owner ?? null, l && !l.finished ? l.expires : null, l?.claimed ?? null);
    }
  }).immediate();
}

export function listClaims(idx: Index): ClaimRow[] {
  return idx.db
    .prepare<ClaimRow>('SELECT ticket, sha, owner, expires, claimed FROM claims ORDER BY expires, ticket')
    .all();
}
