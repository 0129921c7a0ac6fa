import type { DB } from './indexDb.js';
import { ftsQuery } from './search.js';

export interface CloudTerm {
  term: string;
  weight: number;
  tickets: number;
}

export interface CloudResult {
  query: string;
  tickets: number;
  terms: CloudTerm[];
}

const STOP = new Set(
  `a about above after again against all am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having he her here hers
him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our out over own
same she should so some such than that the their them then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your yours also use used using via per e g ie eg
etc new see tk todo done`.split(/\s+/),
);

function words(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/`[^`]*`/g, ' ')
      .match(/[\p{L}][\p{L}\p{N}_-]{2,}/gu) ?? []
  )
    .map((w) => w.replace(/-+$/, ''))
    .filter((w) => !STOP.has(w) && !/^[a-z]+-[0-9a-z]{4,}$/.test(w));
}

/**
 * A weighted keyword cloud (as tix sketches it): terms of the matching tickets, title
 * words counting triple, weighted by how specific they are to the match (tf·idf).
 */
export function keywordCloud(
  db: DB,
  text: string,
  opts: { open?: boolean; archived?: boolean; limit?: number } = {},
): CloudResult {
  const q = ftsQuery(text);
  const open = `${opts.open ? "AND coalesce(t.category, '') NOT IN ('completed', 'canceled')" : ''} ${opts.archived ? '' : 'AND t.archived = 0'}`;
  const rows = (
    q
      ? db
          .prepare(
            `SELECT t.title, t.body FROM tickets_fts JOIN tickets t ON t.rowid = tickets_fts.rowid WHERE tickets_fts MATCH ? ${open}`,
          )
          .all(q)
      : db.prepare(`SELECT t.title, t.body FROM tickets t WHERE 1 ${open}`).all()
  ) as Array<{ title: string; body: string }>;
  const total = db.prepare<{ n: number }>('SELECT count(*) AS n FROM tickets').get()!.n || 1;
  const tf = new Map<string, number>();
  const df = new Map<string, number>();
  for (const r of rows) {
    const seen = new Set<string>();
    for (const [ws, weight] of [
      [words(r.title), 3],
      [words(r.body), 1],
    ] as const) {
      for (const w of ws) {
        tf.set(w, (tf.get(w) ?? 0) + weight);
        seen.add(w);
      }
    }
    for (const w of seen) df.set(w, (df.get(w) ?? 0) + 1);
  }
  const idfOf = db.prepare<{ n: number }>('SELECT count(*) AS n FROM tickets_fts WHERE tickets_fts MATCH ?');
  const scored = [...tf.entries()]
    .filter(([w]) => (df.get(w) ?? 0) >= (rows.length > 3 ? 2 : 1))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 200)
    .map(([w, f]) => {
      const n = idfOf.get(`"${w}"`)!.n || 1;
      return { term: w, weight: f * Math.log(1 + total / n), tickets: df.get(w) ?? 0 };
    })
    .sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term))
    .slice(0, opts.limit ?? 30);
  const max = scored[0]?.weight ?? 1;
  return {
    query: text,
    tickets: rows.length,
    terms: scored.map((s) => ({ ...s, weight: Math.round((s.weight / max) * 100) / 100 })),
  };
}
