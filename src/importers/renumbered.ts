import type { Index } from '../index/indexDb.js';
import type { ImportRecord } from './importRecord.js';

/**
 * The ticket an earlier import of the same source made for this record under another key:
 * the only one with the record's title and creation time that no other record claims.
 */
export function renumbered(
  idx: Index,
  rec: ImportRecord,
  claimed: Set<string>,
): { id: string; archived: boolean } | undefined {
  const { title, created } = rec.fields;
  if (!rec.sameContent || typeof title !== 'string' || typeof created !== 'string') return undefined;
  const rows = idx.db
    .prepare<{ id: string; archived: number }>(
      'SELECT id, archived FROM tickets WHERE title = ? AND created = ? AND json_extract(fields, ?) IS NOT NULL',
    )
    .all(title, created, `$."${rec.sameContent.replace(/"/g, '')}"`)
    .filter((r) => !claimed.has(r.id));
  // Two copies (a task and its archived copy): the one where the record is.
  const here = rows.length > 1 ? rows.filter((r) => r.archived === (rec.archived ? 1 : 0)) : rows;
  if (here.length !== 1) return undefined;
  claimed.add(here[0].id);
  return { id: here[0].id, archived: here[0].archived === 1 };
}
