import { TackError } from '../model/errors.js';
import { newId } from '../model/ids.js';
import type { Schema } from '../model/schema.js';
import type { Index } from '../index/indexDb.js';
import { renumbered } from './renumbered.js';
import type { ImportRecord, ImportSource } from './importRecord.js';

/** How each record of the source is written: its ticket id, where it was, whether it is new. */
export interface Placed {
  id: string;
  archived: boolean;
  isNew: boolean;
}

/**
 * Each record's ticket id (an existing ticket's, found by alias, id or content, or a new
 * one), and the records of existing tickets with where they are. Ids as plain strings: an
 * object per record was 3 MB of an import of 100,000.
 */
export interface Placement {
  ids: Map<string, string>;
  existing: Map<string, { id: string; archived: boolean }>;
  /**
   * Ids of the source's tickets that a file already in the store can name: the existing
   * tickets, and new ones that keep the id their record names (a Tack export's). New
   * random ids are named by no file yet, so 100,000 of them need not be listed.
   */
  named: Set<string>;
}

export function placed(p: Placement, rec: ImportRecord): Placed {
  const old = p.existing.get(rec.key);
  return old ? { ...old, isNew: false } : { id: p.ids.get(rec.key)!, archived: rec.archived === true, isNew: true };
}

export function placeRecords(
  c: { idx: Index; source: ImportSource },
  schema: Schema,
  known: ReadonlyMap<string, { id: string; archived: boolean }>,
): Placement {
  const exists = c.idx.db.prepare<{ archived: number }>('SELECT archived FROM tickets WHERE id = ?');
  const existing = new Map<string, { id: string; archived: boolean }>();
  const seen = new Set<string>();
  for (const rec of c.source.records) {
    if (seen.has(rec.key))
      throw new TackError('invalid_input', `the source has two records with id "${rec.key}"; expected unique ids`, {
        key: rec.key,
      });
    seen.add(rec.key);
    // A key that is a ticket id names that ticket (a file exported from Tack lists new tickets by id).
    const row = known.has(rec.key) ? undefined : exists.get(rec.key);
    const have = known.get(rec.key) ?? (row ? { id: rec.key, archived: row.archived === 1 } : undefined);
    if (have) existing.set(rec.key, have);
  }
  seen.clear();
  const claimed = new Set([...existing.values()].map((h) => h.id));
  const taken = new Set<string>();
  const ids = new Map<string, string>();
  const named = new Set<string>();
  for (const rec of c.source.records) {
    const have = existing.get(rec.key) ?? renumbered(c.idx, rec, claimed);
    if (have) {
      existing.set(rec.key, have);
      ids.set(rec.key, have.id);
    } else {
      const free = (x: string) => !taken.has(x) && exists.get(x) === undefined;
      const id = rec.keepId && free(rec.key) ? rec.key : newId(schema.idPrefix, (x) => !free(x));
      taken.add(id);
      ids.set(rec.key, id);
      if (id === rec.key) named.add(id);
    }
  }
  for (const h of existing.values()) named.add(h.id);
  return { ids, existing, named };
}
