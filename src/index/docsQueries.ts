import type { z } from 'zod';
import type { docDetailsShape, docEntryShape } from '../model/workShapes.js';
import type { DB } from './indexDb.js';
import { ticketRefs } from './ticketRefs.js';
import { linkedDoc } from '../model/bodyRefs.js';
import { startsWithSql } from './ticketIds.js';

/** A doc of the store and the tickets that link to it (`links:` field or [[docs/x.md]]). */
export type DocEntry = z.infer<ReturnType<typeof docEntryShape>>;

export type DocDetails = z.infer<ReturnType<typeof docDetailsShape>>;

const DOC_PATH = /^docs\/.+\.md$/;

/**
 * Tickets named per doc: any number of tickets can link one (20,000 made `tack docs` 3.3 MB);
 * `backlinks_total` counts them all.
 */
const BACKLINKS_SHOWN = 50;

interface Linkers {
  /** The first BACKLINKS_SHOWN by id. */
  ids: string[];
  total: number;
}

function shown(srcs: Iterable<string>): Linkers {
  const all = [...srcs];
  return { ids: all.slice(0, BACKLINKS_SHOWN), total: all.length };
}

/** The tickets that link each doc (by the doc's path), in id order. */
function linkers(db: DB): Map<string, Linkers> {
  const rows = db
    .prepare<{ target: string; src: string }>(
      "SELECT DISTINCT target, src FROM links WHERE target_kind = 'doc' ORDER BY src",
    )
    .all();
  // A set per doc: a ticket linking 20 anchors of one doc is one linker (a list searched for
  // each made `tack docs` take 46–90 s at 20,000 such tickets).
  const sets = new Map<string, Set<string>>();
  for (const r of rows) {
    const path = linkedDoc(r.target);
    const set = sets.get(path) ?? new Set<string>();
    set.add(r.src);
    sets.set(path, set);
  }
  return new Map([...sets].map(([path, set]) => [path, shown(set)]));
}

/** The tickets that link one doc, or an anchor of it. */
function linkersOf(db: DB, path: string): Linkers {
  const rows = db
    .prepare<{ src: string }>(
      `SELECT DISTINCT src FROM links WHERE target_kind = 'doc'
        AND (target = ? OR (${startsWithSql('target', "? || '#'")})) ORDER BY src`,
    )
    .all(path, path, path);
  return shown(rows.map((r) => r.src));
}

function entry(db: DB, l: Linkers | undefined): Pick<DocEntry, 'backlinks' | 'backlinks_total'> {
  return { backlinks: ticketRefs(db, l?.ids ?? []), backlinks_total: l?.total ?? 0 };
}

/** Every doc, plus doc paths tickets link to that are not written yet; by path. */
export function listDocs(db: DB): DocEntry[] {
  const docs = db.prepare<{ path: string; title: string }>('SELECT path, title FROM docs ORDER BY path').all();
  const links = linkers(db);
  const out: DocEntry[] = docs.map((d) => ({
    path: d.path,
    title: d.title,
    exists: true,
    ...entry(db, links.get(d.path)),
  }));
  const have = new Set(docs.map((d) => d.path));
  for (const [path, srcs] of links) {
    if (!have.has(path) && DOC_PATH.test(path)) out.push({ path, title: null, exists: false, ...entry(db, srcs) });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function getDoc(db: DB, path: string): DocDetails | null {
  const row = db
    .prepare<{ path: string; blob: string; title: string; body: string }>(
      'SELECT path, blob, title, body FROM docs WHERE path = ?',
    )
    .get(path);
  if (!row) return null;
  return { ...row, exists: true, ...entry(db, linkersOf(db, path)) };
}

/** Paths of docs whose path contains `part`, for "did you mean" in errors. */
export function similarDocs(db: DB, part: string, limit = 10): string[] {
  const rows = db
    .prepare<{ path: string }>("SELECT path FROM docs WHERE path LIKE ? ESCAPE '\\' ORDER BY path LIMIT ?")
    .all(`%${part.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, limit);
  return rows.map((r) => r.path);
}
