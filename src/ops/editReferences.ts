import { isCrossRef } from '../model/crossRef.js';
import { TackError } from '../model/errors.js';
import type { Schema } from '../model/schema.js';
import type { Ticket } from '../model/ticket.js';
import { setField, ticketFromFile, type TicketFile } from '../model/ticketCodec.js';
import type { Index } from '../index/indexDb.js';
import { resolveId } from '../index/ticketIds.js';

/** Which tickets an edit can point at: the index's, and those the edit itself holds or creates. */
export interface Known {
  schema: Schema;
  index: Index;
  exists(id: string): boolean;
}

/** The full id of an existing ticket for `x`, accepting a unique prefix (hand-written references). */
function fullId(k: Known, x: string): string | null {
  if (k.exists(x)) return x;
  try {
    return resolveId(k.index.db, x);
  } catch {
    return null;
  }
}

/** Hand-written prefixes (`blocks: [tk-3fa9]`) in a ticket being written become full ids. */
export function expandReferences(k: Known, file: TicketFile): void {
  const t = ticketFromFile(k.schema, file);
  if (t.parent && !k.exists(t.parent)) {
    const full = fullId(k, t.parent);
    if (full) setField(file, 'parent', full);
  }
  for (const [kind, ids] of Object.entries(t.relations)) {
    const full = ids.map((x) => (k.exists(x) ? x : (fullId(k, x) ?? x)));
    if (full.some((x, i) => x !== ids[i])) setField(file, kind, full);
  }
}

/** Where a ticket points: [kind, target], its parent first. */
export function linksOf(t: Ticket): Array<[string, string]> {
  const out: Array<[string, string]> = t.parent ? [['parent', t.parent]] : [];
  for (const [kind, ids] of Object.entries(t.relations)) for (const x of ids) out.push([kind, x]);
  return out;
}

/** Refuse a ticket (`id`) pointing at one that does not exist, or that `gone` says this edit deletes. */
export function checkTargets(
  k: Known,
  id: string,
  links: ReadonlyArray<[string, string]>,
  gone: (id: string) => boolean,
): void {
  for (const [kind, x] of links) {
    // Another store's ticket (`planning:tk-3fa9`) is checked by the workspace, not here.
    if (isCrossRef(x)) continue;
    if (!k.exists(x) || gone(x)) {
      throw new TackError(
        'invalid_input',
        `ticket ${id}: ${kind} points at "${x}", which does not exist; expected an existing ticket id`,
        { id, field: kind, received: x },
      );
    }
  }
}
