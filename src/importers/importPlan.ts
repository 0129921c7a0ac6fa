import { TackError } from '../model/errors.js';
import { cycleEnds, cycleText, findCycle } from '../model/graph.js';
import { newId } from '../model/ids.js';
import { layoutOf, type Schema } from '../model/schema.js';
import { ticketPath } from '../model/ticketPath.js';
import { assertValid } from '../model/ticket.js';
import {
  newTicketFile,
  parseTicketFile,
  serializeTicketFile,
  setField,
  ticketFromFile,
  type TicketFile,
} from '../model/ticketCodec.js';
import type { Comment } from '../model/comments.js';
import type { Index } from '../index/indexDb.js';
import { schemaPath, type Store } from '../store/store.js';
import { parseSchemaText, readStoreFile } from '../store/storeReader.js';
import { readStoreFiles, readTicketFiles } from './existingFiles.js';
import type { ChangeSet } from '../store/storeWriter.js';
import { addToSchema } from './schemaAdditions.js';
import { closeGone, type GoneTicket } from './goneTickets.js';
import { renumbered } from './renumbered.js';
import type { ImportRecord, ImportSource } from './importRecord.js';

export interface PlannedTicket {
  key: string;
  id: string;
  action: 'create' | 'update' | 'unchanged';
}

export interface ImportPlan {
  tickets: PlannedTicket[];
  docs: Array<{ path: string; action: PlannedTicket['action'] }>;
  /** Tickets of this source it no longer holds: closed by this import with `closeMissing`, else only reported. */
  closed: GoneTicket[];
  /** Whether `closed` were closed (`closeMissing`) or only found. */
  closing: boolean;
  changeSet: ChangeSet;
  schemaNotes: string[];
  warnings: string[];
}

/** Existing tickets by alias (and by id): how a re-import finds what it wrote before. */
export function aliasMap(idx: Index): Map<string, { id: string; archived: boolean }> {
  const rows = idx.db
    .prepare<{
      id: string;
      archived: number;
      alias: unknown;
    }>(`SELECT t.id AS id, t.archived AS archived, a.value AS alias
    FROM tickets t, json_each(t.fields, '$.aliases') a WHERE t.fields LIKE '%"aliases"%'`)
    .all();
  const map = new Map<string, { id: string; archived: boolean }>();
  for (const r of rows) if (typeof r.alias === 'string') map.set(r.alias, { id: r.id, archived: r.archived === 1 });
  return map;
}

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
function keepOutsideEdges(file: TicketFile, relations: Record<string, string[]>, inSource: Set<string>): void {
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
function applyRecord(
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

interface Ctx {
  store: Store;
  idx: Index;
  head: string | null;
  source: ImportSource;
  /** ISO time for tickets whose source has no timestamps. */
  now: string;
  /** Close (cancel) the tickets of this source it no longer holds, instead of only reporting them. */
  closeMissing?: boolean;
  progress?: (done: number, total: number, label: string) => void;
}

/** The schema after the import's additions, and the new schema.yaml text if it changes. */
function planSchema(c: Ctx): { schema: Schema; text: string | null; notes: string[] } {
  const rev = c.store.mode === 'inline' ? null : c.head;
  const text = readStoreFile(c.store, rev, 'schema.yaml');
  if (text === null)
    throw new TackError('no_store', `the store has no ${schemaPath(c.store)}; expected one (run \`tack init\`)`);
  const schema = parseSchemaText(text, schemaPath(c.store));
  const change = addToSchema(text, schema, c.source.needs, schemaPath(c.store));
  if (change.text === null) return { schema, text: null, notes: [] };
  return { schema: parseSchemaText(change.text, schemaPath(c.store)), text: change.text, notes: change.notes };
}

/**
 * Compute the commit an import makes from `head`: every record created or updated in
 * place (matched by alias), unchanged ones left alone, the schema widened where needed.
 * Pure with respect to the repository: nothing is written here.
 */
export function planImport(c: Ctx): ImportPlan {
  const { schema, text: schemaText, notes } = planSchema(c);
  const warnings: string[] = [];
  const known = aliasMap(c.idx);
  const exists = c.idx.db.prepare<{ archived: number }>('SELECT archived FROM tickets WHERE id = ?');
  const taken = new Set<string>();
  const idOf = new Map<string, { id: string; archived: boolean; isNew: boolean }>();
  const byKey = new Map<string, { id: string; archived: boolean }>();
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
    if (have) byKey.set(rec.key, have);
  }
  const claimed = new Set([...byKey.values()].map((h) => h.id));
  for (const rec of c.source.records) {
    const have = byKey.get(rec.key) ?? renumbered(c.idx, rec, claimed);
    if (have) idOf.set(rec.key, { ...have, isNew: false });
    else {
      const free = (x: string) => !taken.has(x) && exists.get(x) === undefined;
      const id = rec.keepId && free(rec.key) ? rec.key : newId(schema.idPrefix, (x) => !free(x));
      taken.add(id);
      idOf.set(rec.key, { id, archived: rec.archived === true, isNew: true });
    }
  }
  // A reference to something outside the source may name a ticket already in the store.
  const target = (ref: string): string | null => {
    const mine = idOf.get(ref) ?? known.get(ref);
    if (mine) return mine.id;
    return exists.get(ref) !== undefined ? ref : null;
  };
  const tickets: PlannedTicket[] = [];
  const changes: ChangeSet['changes'] = [];
  const files = new Map<string, TicketFile>();
  // An existing ticket is rewritten where it is (either layout); a new one goes to the schema's.
  const layout = layoutOf(schema);
  const existing = readTicketFiles(
    c.store,
    c.head,
    [...idOf.values()].filter((x) => !x.isNew),
    layout,
  );
  const pathOf = (me: { id: string; archived: boolean }) =>
    existing.get(me.id)?.rel ?? ticketPath(me.id, layout, me.archived ? 'archive' : 'tickets');
  const total = c.source.records.length;
  const inSource = new Set([...idOf.values()].map((x) => x.id));
  const defaults = { type: schema.defaultType, status: schema.defaultStatus, priority: schema.defaultPriority };
  c.source.records.forEach((rec, n) => {
    const me = idOf.get(rec.key)!;
    let parent = rec.parent === undefined ? null : target(rec.parent);
    if (rec.parent !== undefined && parent === null && rec.unresolvedParent) {
      const instead = rec.unresolvedParent();
      parent = instead === undefined ? null : target(instead);
    } else if (rec.parent !== undefined && parent === null)
      warnings.push(`${rec.key}: parent ${rec.parent} is not in the source or the store; left out`);
    const relations: Record<string, string[]> = {};
    for (const [kind, refs] of Object.entries(rec.relations)) {
      const ids: string[] = [];
      for (const ref of refs) {
        const id = target(ref);
        if (id === null) warnings.push(`${rec.key}: ${kind} ${ref} is not in the source or the store; left out`);
        else if (id !== me.id && !ids.includes(id)) ids.push(id);
      }
      relations[kind] = ids;
    }
    const path = pathOf(me);
    const text = me.isNew ? undefined : existing.get(me.id)?.text;
    if (!me.isNew && text === undefined)
      throw new TackError(
        'not_found',
        `ticket ${me.id} (alias ${rec.key}) is in the index but not at ${path}; run \`tack reindex\``,
        { id: me.id },
      );
    const loaded = text === undefined ? null : { text, file: parseTicketFile(text, `${c.store.prefix}${path}`) };
    const file = loaded ? loaded.file : newTicketFile([['id', me.id]], '');
    const aliases = [
      ...new Set([
        ...(loaded ? ticketFromFile(schema, file).aliases : []),
        ...(rec.aliases ?? []),
        ...(rec.key === me.id ? [] : [rec.key]),
      ]),
    ];
    const own = rec.keyField && rec.key === me.id ? { ...rec, fields: { ...rec.fields, [rec.keyField]: null } } : rec;
    if (loaded) keepOutsideEdges(file, relations, inSource);
    applyRecord(file, own, { parent, relations }, c.source.managedKeys, aliases, loaded ? defaults : null);
    // Sources without timestamps: a new ticket is created now, a changed one updated now.
    if (!loaded && rec.fields.created === undefined) setField(file, 'created', c.now);
    if (!loaded && rec.fields.updated === undefined) setField(file, 'updated', c.now);
    let content = serializeTicketFile(file);
    if (loaded && content !== loaded.text && rec.fields.updated === undefined) {
      setField(file, 'updated', c.now);
      content = serializeTicketFile(file);
    }
    files.set(me.id, file);
    const action = !loaded ? 'create' : content === loaded.text ? 'unchanged' : 'update';
    tickets.push({ key: rec.key, id: me.id, action });
    if (action !== 'unchanged') changes.push({ path, content });
    c.progress?.(n + 1, total, 'import: planning');
  });
  for (const [id, file] of files) assertValid(schema, ticketFromFile(schema, file), id);
  checkCycles(c.idx, schema, files);
  const closed = c.source.ownKey
    ? closeGone(
        { ...c, kind: c.source.kind, close: c.closeMissing === true },
        c.source.ownKey,
        schema,
        inSource,
        changes,
        warnings,
      )
    : [];
  const docs = planDocs(c, changes);
  if (schemaText !== null) changes.push({ path: 'schema.yaml', content: schemaText });
  const counts = countActions(tickets);
  const subject = `import ${c.source.kind}: ${counts.create} created, ${counts.update} updated, ${counts.unchanged} unchanged${closed.length && c.closeMissing ? `, ${closed.length} closed (gone from the source)` : ''}`;
  const touched = [...tickets.filter((t) => t.action !== 'unchanged'), ...(c.closeMissing ? closed : [])].map(
    (t) => ['Tack-Ticket', t.id] as [string, string],
  );
  const body = notes.length ? `Schema: ${notes.join('; ')}` : undefined;
  return {
    tickets,
    docs,
    closed,
    closing: c.closeMissing === true,
    schemaNotes: notes,
    warnings,
    changeSet: { changes, subject, trailers: [['Tack-Op', 'import'], ...touched], ...(body ? { body } : {}) },
  };
}

/** Docs the source brings, written verbatim when new or different. */
function planDocs(c: Ctx, changes: ChangeSet['changes']): ImportPlan['docs'] {
  const docs = c.source.docs ?? [];
  const have = readStoreFiles(
    c.store,
    c.head,
    docs.map((d) => d.path),
  );
  return docs.map((d) => {
    const old = have.get(d.path);
    const action = old === undefined ? 'create' : old === d.content ? 'unchanged' : 'update';
    if (action !== 'unchanged') changes.push({ path: d.path, content: d.content });
    return { path: d.path, action };
  });
}

export function countActions(
  tickets: ReadonlyArray<{ action: PlannedTicket['action'] }>,
): Record<PlannedTicket['action'], number> {
  const n = { create: 0, update: 0, unchanged: 0 };
  for (const t of tickets) n[t.action]++;
  return n;
}

/** Refuse an import that would make `parent` or an acyclic relation circular. */
function checkCycles(idx: Index, schema: Schema, files: Map<string, TicketFile>): void {
  const kinds = ['parent', ...schema.relations.filter((r) => r.acyclic).map((r) => r.name)];
  for (const kind of kinds) {
    const edges = new Map<string, string[]>();
    const rows =
      kind === 'parent'
        ? idx.db
            .prepare<{
              src: string;
              dst: string;
            }>('SELECT id AS src, parent AS dst FROM tickets WHERE parent IS NOT NULL')
            .all()
        : idx.db
            .prepare<{
              src: string;
              dst: string;
            }>('SELECT src, dst FROM relations WHERE kind = ?')
            .all(kind);
    for (const r of rows) if (!files.has(r.src)) (edges.get(r.src) ?? edges.set(r.src, []).get(r.src)!).push(r.dst);
    for (const [id, file] of files) {
      const t = ticketFromFile(schema, file);
      edges.set(id, kind === 'parent' ? (t.parent ? [t.parent] : []) : (t.relations[kind] ?? []));
    }
    const cycle = findCycle(edges, [...files.keys()]);
    if (cycle)
      throw new TackError('cycle', `refused: the import would make a cycle in "${kind}": ${cycleText(cycle, ' → ')}`, {
        kind,
        cycle: cycleEnds(cycle),
        cycle_length: cycle.length,
      });
  }
}
