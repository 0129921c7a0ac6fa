import { TackError } from '../model/errors.js';
import { layoutOf, type Schema } from '../model/schema.js';
import { ticketPath } from '../model/ticketPath.js';
import { assertValid, type Ticket } from '../model/ticket.js';
import { newTicketFile, parseTicketFile, serializeTicketFile, setField, ticketFromFile } from '../model/ticketCodec.js';
import type { Index } from '../index/indexDb.js';
import { schemaPath, type Store } from '../store/store.js';
import { parseSchemaText, readStoreFile } from '../store/storeReader.js';
import { readStoreFiles, readTicketFiles } from './existingFiles.js';
import { BlobPack, PACKED_BLOBS_FROM } from '../git/packedBlobs.js';
import { ImportEdges } from './importCycles.js';
import type { ChangeSet } from '../store/storeWriter.js';
import { addToSchema } from './schemaAdditions.js';
import { applyRecord, keepOutsideEdges } from './applyRecord.js';
import { closeGone, type GoneTicket } from './goneTickets.js';
import { placed, placeRecords, type Placed } from './placeRecords.js';
import type { ImportRecord, ImportSource } from './importRecord.js';

export interface PlannedTicket {
  key: string;
  id: string;
  action: 'create' | 'update' | 'unchanged';
}

/** How many records the plan names one by one (key, id, action); the rest are counted. */
export const TICKETS_SHOWN = 100;

export interface ImportPlan {
  /** The first TICKETS_SHOWN records, in the source's order. */
  tickets: PlannedTicket[];
  /** Records of each action, all of them. */
  counts: Record<PlannedTicket['action'], number>;
  docs: Array<{ path: string; action: PlannedTicket['action'] }>;
  /** Tickets of this source it no longer holds: closed by this import with `closeMissing`, else only reported. */
  closed: GoneTicket[];
  /** Whether `closed` were closed (`closeMissing`) or only found. */
  closing: boolean;
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
 * From this many changed tickets on (in branch mode), each file goes into a pack as soon as
 * it is planned, and the change set names its blob: the files of a large import are never
 * all in memory at once (see BlobPack).
 */
const STREAM_FROM = PACKED_BLOBS_FROM;

/** The tickets an import writes, planned a record at a time (files packed as they come, with a pack). */
interface PlannedTickets {
  tickets: PlannedTicket[];
  counts: Record<PlannedTicket['action'], number>;
  /** Tickets the commit changes (its Tack-Ticket trailers). */
  touched: string[];
  changes: ChangeSet['changes'];
  /** Their edges, until checked for cycles. */
  edges: ImportEdges | null;
  inSource: Set<string>;
}

/**
 * Every record's ticket: where it goes, its new text, whether it changes. What it needs
 * only meanwhile (each record's id by key, the existing files' texts) is left behind when it
 * returns: at 100,000 records it is tens of MB that the rest of the write need not hold.
 */
function planTickets(c: Ctx, schema: Schema, warnings: string[], pack: BlobPack | null): PlannedTickets {
  const known = aliasMap(c.idx);
  const exists = c.idx.db.prepare<{ archived: number }>('SELECT archived FROM tickets WHERE id = ?');
  const placement = placeRecords(c, schema, known);
  // A reference to something outside the source may name a ticket already in the store.
  const target = (ref: string): string | null => {
    const mine = placement.ids.get(ref) ?? known.get(ref)?.id;
    if (mine) return mine;
    return exists.get(ref) !== undefined ? ref : null;
  };
  const out: PlannedTickets = {
    tickets: [],
    counts: { create: 0, update: 0, unchanged: 0 },
    touched: [],
    changes: [],
    edges: new ImportEdges(schema),
    inSource: placement.named,
  };
  // An existing ticket is rewritten where it is (either layout); a new one goes to the schema's.
  const layout = layoutOf(schema);
  const existing = readTicketFiles(c.store, c.head, [...placement.existing.values()], layout);
  const pathOf = (me: { id: string; archived: boolean }) =>
    existing.get(me.id)?.rel ?? ticketPath(me.id, layout, me.archived ? 'archive' : 'tickets');
  const total = c.source.records.length;
  const defaults = { type: schema.defaultType, status: schema.defaultStatus, priority: schema.defaultPriority };
  let n = 0;
  for (const rec of c.source.records) {
    const me = placed(placement, rec);
    const ids = { parent: parentOf(rec, target, warnings), relations: relationsOf(rec, me.id, target, warnings) };
    const path = pathOf(me);
    const text = me.isNew ? undefined : existing.get(me.id)?.text;
    if (!me.isNew && text === undefined)
      throw new TackError(
        'not_found',
        `ticket ${me.id} (alias ${rec.key}) is in the index but not at ${path}; run \`tack reindex\``,
        { id: me.id },
      );
    const planned = planTicket(c, schema, { rec, me, path, text, ids, inSource: out.inSource, defaults });
    out.edges!.add(me.id, planned.ticket, !me.isNew);
    out.counts[planned.action]++;
    if (out.tickets.length < TICKETS_SHOWN) out.tickets.push({ key: rec.key, id: me.id, action: planned.action });
    if (planned.action !== 'unchanged') {
      out.touched.push(me.id);
      out.changes.push(pack ? { path, blob: pack.add(planned.content) } : { path, content: planned.content });
    }
    c.progress?.(++n, total, 'import: planning');
  }
  return out;
}

/** Refuse an import that would make `parent` or an acyclic relation circular; the edges are not kept after. */
function checkCycles(idx: Index, planned: PlannedTickets): void {
  const edges = planned.edges!;
  planned.edges = null;
  edges.check(idx);
}

/**
 * Compute the commit an import makes from `head`: every record created or updated in
 * place (matched by alias), unchanged ones left alone, the schema widened where needed.
 * Nothing the repository shows is changed here; a large import's files are packed as they
 * are planned (objects no ref names until the commit does).
 */
export function planImport(c: Ctx): { plan: ImportPlan; changeSet: ChangeSet } {
  const { schema, text: schemaText, notes } = planSchema(c);
  const warnings: string[] = [];
  const pack = c.store.mode === 'branch' && c.source.records.length >= STREAM_FROM ? new BlobPack(c.store.repo) : null;
  let planned: PlannedTickets;
  try {
    planned = planTickets(c, schema, warnings, pack);
    // Nothing reads the records again unless the plan is made again (another writer's commit).
    c.source.records.release?.();
    checkCycles(c.idx, planned);
    pack?.finish();
  } finally {
    pack?.abandon();
  }
  const { tickets, counts, touched, changes, inSource } = planned;
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
  const subject = `import ${c.source.kind}: ${counts.create} created, ${counts.update} updated, ${counts.unchanged} unchanged${closed.length && c.closeMissing ? `, ${closed.length} closed (gone from the source)` : ''}`;
  if (c.closeMissing) for (const t of closed) touched.push(t.id);
  const trailers: Array<[string, string]> = [
    ['Tack-Op', 'import'],
    ...touched.map((id) => ['Tack-Ticket', id] as [string, string]),
  ];
  const body = notes.length ? `Schema: ${notes.join('; ')}` : undefined;
  return {
    plan: { tickets, counts, docs, closed, closing: c.closeMissing === true, schemaNotes: notes, warnings },
    changeSet: { changes, subject, trailers, ...(body ? { body } : {}) },
  };
}

function parentOf(rec: ImportRecord, target: (ref: string) => string | null, warnings: string[]): string | null {
  let parent = rec.parent === undefined ? null : target(rec.parent);
  if (rec.parent !== undefined && parent === null && rec.unresolvedParent) {
    const instead = rec.unresolvedParent();
    parent = instead === undefined ? null : target(instead);
  } else if (rec.parent !== undefined && parent === null)
    warnings.push(`${rec.key}: parent ${rec.parent} is not in the source or the store; left out`);
  return parent;
}

function relationsOf(
  rec: ImportRecord,
  self: string,
  target: (ref: string) => string | null,
  warnings: string[],
): Record<string, string[]> {
  const relations: Record<string, string[]> = {};
  for (const [kind, refs] of Object.entries(rec.relations)) {
    const ids: string[] = [];
    for (const ref of refs) {
      const id = target(ref);
      if (id === null) warnings.push(`${rec.key}: ${kind} ${ref} is not in the source or the store; left out`);
      else if (id !== self && !ids.includes(id)) ids.push(id);
    }
    relations[kind] = ids;
  }
  return relations;
}

/** One record's ticket file: its new text, whether it changes, and the ticket (checked valid). */
function planTicket(
  c: Ctx,
  schema: Schema,
  p: {
    rec: ImportRecord;
    me: Placed;
    path: string;
    text: string | undefined;
    ids: { parent: string | null; relations: Record<string, string[]> };
    inSource: Set<string>;
    defaults: Record<string, unknown>;
  },
): { content: string; action: PlannedTicket['action']; ticket: Ticket } {
  const { rec, me, text } = p;
  const loaded = text === undefined ? null : { text, file: parseTicketFile(text, `${c.store.prefix}${p.path}`) };
  const file = loaded ? loaded.file : newTicketFile([['id', me.id]], '');
  const aliases = [
    ...new Set([
      ...(loaded ? ticketFromFile(schema, file).aliases : []),
      ...(rec.aliases ?? []),
      ...(rec.key === me.id ? [] : [rec.key]),
    ]),
  ];
  const own = rec.keyField && rec.key === me.id ? { ...rec, fields: { ...rec.fields, [rec.keyField]: null } } : rec;
  if (loaded) keepOutsideEdges(file, p.ids.relations, p.inSource);
  applyRecord(file, own, p.ids, c.source.managedKeys, aliases, loaded ? p.defaults : null);
  // Sources without timestamps: a new ticket is created now, a changed one updated now.
  if (!loaded && rec.fields.created === undefined) setField(file, 'created', c.now);
  if (!loaded && rec.fields.updated === undefined) setField(file, 'updated', c.now);
  let content = serializeTicketFile(file);
  if (loaded && content !== loaded.text && rec.fields.updated === undefined) {
    setField(file, 'updated', c.now);
    content = serializeTicketFile(file);
  }
  const ticket = ticketFromFile(schema, file);
  assertValid(schema, ticket, me.id);
  const action = !loaded ? 'create' : content === loaded.text ? 'unchanged' : 'update';
  return { content, action, ticket };
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
