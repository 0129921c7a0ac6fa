import type { Index } from '../index/indexDb.js';
import { layoutOf, type Schema } from '../model/schema.js';
import { parseTicketFile, serializeTicketFile, setField } from '../model/ticketCodec.js';
import type { Store } from '../store/store.js';
import type { ChangeSet } from '../store/storeWriter.js';
import { readTicketFiles } from './existingFiles.js';

export interface GoneTicket {
  id: string;
  /** The ticket's first alias: the source's id it had. */
  key: string;
}

/**
 * Tickets an earlier import of this source made (they carry its extra key, `beads:`,
 * `backlog:`, …) that the source no longer holds: closed as canceled, with a resolution
 * saying why, never removed (their history and links stay). Tickets already closed, and
 * tickets of any other origin, are left alone. A later import that brings the item back
 * sets its status from the source again.
 *
 * Only when asked (`close`, the `--close-missing` flag): an export file cannot prove it is
 * whole (`gh issue list` stops at 30 unless told otherwise; another repository, board or
 * project carries the same key), so by default the tickets are only reported.
 */
export function closeGone(
  c: { store: Store; idx: Index; head: string | null; now: string; kind: string; close: boolean },
  ownKey: string,
  schema: Schema,
  inSource: Set<string>,
  changes: ChangeSet['changes'],
  warnings: string[],
): GoneTicket[] {
  const rows = c.idx.db
    .prepare<{ id: string; archived: number; key: unknown }>(
      `SELECT id, archived, json_extract(fields, '$.aliases[0]') AS key FROM tickets
         WHERE json_extract(fields, ?) IS NOT NULL AND category NOT IN ('completed', 'canceled')`,
    )
    .all(`$."${ownKey.replace(/"/g, '')}"`)
    .filter((r) => !inSource.has(r.id));
  if (!rows.length) return [];
  if (!c.close) return rows.map((r) => ({ id: r.id, key: typeof r.key === 'string' ? r.key : r.id }));
  const canceled = schema.states.find((s) => s.category === 'canceled');
  if (!canceled) {
    warnings.push(
      `${rows.length} ticket(s) from ${c.kind} are gone from the source but the schema has no canceled state; left open`,
    );
    return [];
  }
  const found = readTicketFiles(
    c.store,
    c.head,
    rows.map((r) => ({ id: r.id, archived: r.archived === 1 })),
    layoutOf(schema),
  );
  const gone: GoneTicket[] = [];
  for (const r of rows) {
    const at = found.get(r.id);
    if (at === undefined) continue;
    const file = parseTicketFile(at.text, `${c.store.prefix}${at.rel}`);
    setField(file, 'status', canceled.name);
    setField(file, 'resolution', `gone from the ${c.kind} source (import of ${c.now.slice(0, 10)})`);
    setField(file, 'updated', c.now);
    changes.push({ path: at.rel, content: serializeTicketFile(file) });
    gone.push({ id: r.id, key: typeof r.key === 'string' ? r.key : r.id });
  }
  return gone;
}
