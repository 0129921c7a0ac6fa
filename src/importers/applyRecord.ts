import type { Comment } from '../model/comments.js';
import { setField, type TicketFile } from '../model/ticketCodec.js';
import type { ImportRecord } from './importRecord.js';

function mergeComments(have: Comment[], incoming: Comment[]): Comment[] {
  const byId = new Map(incoming.map((c) => [c.id, c]));
  // A comment deleted here keeps its tombstone: the source still holding it does not bring it back.
  const kept = have.map((c) => (c.deleted === undefined ? (byId.get(c.id) ?? c) : c));
  const seen = new Set(have.map((c) => c.id));
  return [...kept, ...incoming.filter((c) => !seen.has(c.id))];
}

/** The same edges in the order the file already lists them (sources list them in any order), new ones last. */
function keepOrder(current: unknown, wanted: string[]): string[] {
  const have =
    current && typeof current === 'object' && 'toJSON' in current
      ? (current as { toJSON(): unknown }).toJSON()
      : current;
  if (!Array.isArray(have)) return wanted;
  const want = new Set(wanted);
  const kept = have.map(String).filter((x) => want.has(x));
  return [...kept, ...wanted.filter((x) => !kept.includes(x))];
}

/**
 * Edges of an existing ticket to tickets the source does not hold stay: the source cannot
 * speak of them (a subset export, or tickets made in Tack since the last import).
 */
export function keepOutsideEdges(file: TicketFile, relations: Record<string, string[]>, inSource: Set<string>): void {
  for (const [kind, ids] of Object.entries(relations)) {
    const have = file.doc.get(kind);
    const current =
      have && typeof have === 'object' && 'toJSON' in have ? (have as { toJSON(): unknown }).toJSON() : have;
    if (!Array.isArray(current)) continue;
    for (const x of current.map(String)) if (!inSource.has(x) && !ids.includes(x)) ids.push(x);
  }
}

/** Field order for new files: the usual front-matter order, extra keys before the timestamps. */
const ORDER = ['title', 'type', 'status', 'priority', 'labels', 'assignee', 'parent', 'project'];

/** Apply one record's fields to a ticket file (new or existing); keys the source does not own stay. */
export function applyRecord(
  file: TicketFile,
  rec: ImportRecord,
  ids: { parent: string | null; relations: Record<string, string[]> },
  managed: string[],
  aliases: string[],
  defaults: Record<string, unknown> | null,
): void {
  ids = {
    ...ids,
    relations: Object.fromEntries(Object.entries(ids.relations).map(([k, v]) => [k, keepOrder(file.doc.get(k), v)])),
  };
  const wanted: Record<string, unknown> = { ...rec.fields, ...ids.relations };
  // A source without parents (a task list) leaves the parents set in Tack alone.
  if (rec.parent !== undefined || managed.includes('parent')) wanted.parent = ids.parent;
  const keys = [...ORDER, ...Object.keys(wanted).filter((k) => !ORDER.includes(k)), ...managed];
  for (const k of new Set(keys)) {
    // An existing file that leaves a value to the schema's default keeps doing so (a new
    // file says every value: a later change of the default must not move it).
    if (defaults && !file.doc.has(k) && wanted[k] !== undefined && wanted[k] === defaults[k]) continue;
    if (k in wanted || managed.includes(k)) setField(file, k, wanted[k] ?? null);
  }
  setField(file, 'aliases', aliases);
  if (!rec.keepsBody?.(file.body)) file.body = rec.body;
  file.comments = mergeComments(file.comments, rec.comments);
}
