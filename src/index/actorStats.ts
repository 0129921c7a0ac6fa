import type { DB } from './indexDb.js';

/** One actor's share of the store's history (`tack stats --by actor`). */
export interface ActorCount {
  /** human or agent, from the commit's Tack-Actor trailer; null for commits that record none. */
  kind: 'human' | 'agent' | null;
  /** The agent's name (Tack-Agent), else the commit author's name. */
  name: string;
  /** Harnesses the actor's commits name (Tack-Harness), sorted. */
  harnesses: string[];
  commits: number;
  /** Distinct tickets those commits changed. */
  tickets: number;
  /** Author time of the actor's latest commit. */
  last: string;
}

const ACTOR_ROWS = `SELECT c.sha, c.actor AS kind, coalesce(c.agent, c.author_name, '') AS name, c.author_time, c.harness
  FROM commits c`;

/** Commits and tickets changed per actor, most active first. */
export function actorStats(db: DB): ActorCount[] {
  const rows = db
    .prepare<{
      kind: string | null;
      name: string;
      commits: number;
      last: string;
      harnesses: string;
    }>(`WITH a AS (${ACTOR_ROWS})
    SELECT kind, name, count(*) AS commits, max(author_time) AS last, json_group_array(DISTINCT harness) AS harnesses
    FROM a GROUP BY kind, name`)
    .all();
  const tickets = new Map(
    db
      .prepare<{ kind: string | null; name: string; n: number }>(`WITH a AS (${ACTOR_ROWS})
    SELECT a.kind, a.name, count(DISTINCT t.ticket) AS n FROM a JOIN commit_tickets t ON t.commit_sha = a.sha GROUP BY a.kind, a.name`)
      .all()
      .map((r) => [`${r.kind}\u0000${r.name}`, r.n]),
  );
  return rows
    .map((r) => ({
      kind: (r.kind === 'human' || r.kind === 'agent' ? r.kind : null) as ActorCount['kind'],
      name: r.name,
      harnesses: (JSON.parse(r.harnesses) as Array<string | null>).filter((h): h is string => !!h).sort(),
      commits: r.commits,
      tickets: tickets.get(`${r.kind}\u0000${r.name}`) ?? 0,
      last: r.last,
    }))
    .sort(
      (x, y) => y.commits - x.commits || x.name.localeCompare(y.name) || String(x.kind).localeCompare(String(y.kind)),
    );
}
