import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { CSV_HEADER, csvRow, jsonlLine, type ExportTicket } from '../model/exportFormats.js';
import { beadsLine } from '../model/beadsFormat.js';
import { backlogFiles, type BacklogExportFile } from '../model/backlogFormat.js';
import { taskItem, taskListPieces, taskSections, type TaskItem } from '../model/tasksMarkdown.js';
import { CATEGORIES, type Schema } from '../model/schema.js';
import { indexedSchema, type DB } from '../index/indexDb.js';
import { listTicketIds } from '../index/queries.js';
import { leanWhileBuilding } from '../index/leanBuild.js';
import { resolveId } from '../index/ticketIds.js';
import listOp from './list.js';
import { readIndex } from './readInput.js';
import { defineOp, type OpContext } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

export const EXPORT_FORMATS = ['jsonl', 'csv', 'markdown', 'beads', 'backlog'] as const;

export const exportInput = listOp.input.omit({ sort: true }).extend({
  format: z
    .enum(EXPORT_FORMATS)
    .describe(
      'jsonl, csv, markdown (a TASKS.md that `tack import markdown` reads back), beads (JSONL for bd / `tack import beads`) or backlog (a Backlog.md backlog/ folder: `files`)',
    ),
  all: z.boolean().optional().describe('archived tickets too (completed and canceled work is always exported)'),
  // An export is a backup or a hand-over: everything unless asked otherwise.
  limit: z.number().int().min(0).optional().describe('at most this many (default: all; 0: all)'),
});

export const exportResultShape = lazyShape(() =>
  z.strictObject({
    format: z.enum(EXPORT_FORMATS),
    count: z.number(),
    text: z.string(),
    /** backlog: the folder's files (path relative to backlog/, content); text is empty. */
    files: z.array(z.strictObject({ path: z.string(), content: z.string() })).optional(),
  }),
);

export type ExportResult = z.infer<ReturnType<typeof exportResultShape>>;

/** A ticket's stored front matter, by id (references reach tickets outside the selection). */
type FieldsOf = (id: string) => Record<string, unknown> | undefined;

function fieldsLookup(db: DB): FieldsOf {
  const q = db.prepare<{ fields: string }>('SELECT fields FROM tickets WHERE id = ?');
  return (id) => {
    const r = q.get(id);
    return r ? (JSON.parse(r.fields) as Record<string, unknown>) : undefined;
  };
}

/** The selected tickets as exporters see them, read one at a time (an export of 100,000 holds one). */
function* exportTickets(db: DB, ids: readonly string[], schema: Schema): Generator<ExportTicket> {
  const row = db.prepare<{ fields: string; body: string; archived: number }>(
    'SELECT fields, body, archived FROM tickets WHERE id = ?',
  );
  const comments = db.prepare<{ id: string; author: string; created: string; body: string }>(
    'SELECT id, author, created, body FROM comments WHERE ticket = ? ORDER BY created, seq',
  );
  const blockers = db.prepare<{ src: string }>(
    "SELECT src FROM relations WHERE kind = 'blocks' AND dst = ? ORDER BY src",
  );
  for (const id of ids) {
    const r = row.get(id);
    if (!r) continue;
    const stored = JSON.parse(r.fields) as Record<string, unknown>;
    // Values a file leaves to the schema's defaults are exported as what they mean.
    const fields = {
      ...stored,
      type: stored.type ?? schema.defaultType,
      status: stored.status ?? schema.defaultStatus,
      priority: stored.priority ?? schema.defaultPriority,
    };
    yield {
      id,
      fields,
      body: r.body,
      comments: comments
        .all(id)
        .map((c) => ({ id: c.id, author: c.author ?? '', created: c.created ?? '', text: c.body ?? '' })),
      blockedBy: blockers.all(id).map((b) => b.src),
      archived: r.archived === 1,
    };
  }
}

function aliases(f: Record<string, unknown>): string[] {
  return Array.isArray(f.aliases) ? f.aliases.map(String) : typeof f.aliases === 'string' ? [f.aliases] : [];
}

/** A ticket's key in another tracker's format, from its front matter (none: not in the index). */
type KeyIn = (id: string, fields: Record<string, unknown> | undefined) => string;

/** The id a ticket had in beads (its first alias, when it came from beads), else its Tack id. */
const beadsKeyIn: KeyIn = (id, f) => (f && f.beads !== undefined && aliases(f)[0] ? aliases(f)[0] : id);

/** The id a ticket had in Backlog.md (its first alias, when it came from there), else its Tack id. */
const backlogKeyIn: KeyIn = (id, f) =>
  // `BACK-7@archive/tasks`: the import's name for a second file with the same id.
  f && f.backlog !== undefined && aliases(f)[0] ? aliases(f)[0].replace(/@[\w/]+$/, '') : id;

/** The key a ticket has in a task list (`markdown.key`), else its Tack id. */
const markdownKeyIn: KeyIn = (id, f) => {
  const m = f?.markdown as { key?: unknown } | undefined;
  return m && typeof m.key === 'string' && m.key ? m.key : id;
};

/**
 * Tickets' keys by id: the ticket at hand's from what was read of it, any other's (a parent, a
 * blocker) looked up in the index. A format asks for its own ticket's key once a ticket.
 */
class Keys {
  private current: ExportTicket | undefined;
  constructor(
    private readonly keyIn: KeyIn,
    private readonly fieldsOf: FieldsOf,
  ) {}

  readonly keyOf = (id: string): string =>
    this.keyIn(id, id === this.current?.id ? this.current.fields : this.fieldsOf(id));

  /** The tickets, each the ticket at hand while it is used. */
  readonly through = (tickets: Iterable<ExportTicket>): Iterable<ExportTicket> => this.each(tickets);

  private *each(tickets: Iterable<ExportTicket>): Generator<ExportTicket> {
    for (const t of tickets) {
      this.current = t;
      yield t;
    }
  }
}

/** A task list a ticket at a time: each placed by its key and project first, then read in that order. */
function* markdownPieces(db: DB, ids: readonly string[], fieldsOf: FieldsOf, schema: Schema): Generator<string> {
  const placed = ids.map((id) => {
    const f = fieldsOf(id);
    return { id, key: markdownKeyIn(id, f), project: typeof f?.project === 'string' ? f.project : null };
  });
  const { keyOf, through } = new Keys(markdownKeyIn, fieldsOf);
  function* items(section: typeof placed): Generator<TaskItem> {
    for (const t of through(
      exportTickets(
        db,
        section.map((p) => p.id),
        schema,
      ),
    ))
      yield taskItem({
        key: keyOf(t.id),
        title: String(t.fields.title ?? ''),
        status: String(t.fields.status ?? schema.defaultStatus),
        project: null,
        body: t.body,
        dependsOn: t.blockedBy.map(keyOf),
      });
  }
  const sections = taskSections(placed, schema.projects);
  yield* taskListPieces(
    null,
    sections.map((s) => ({ milestone: s.milestone, tickets: items(s.tickets) })),
  );
}

/** The text of an export in pieces: a ticket's line, row or section at a time. */
function* textChunks(format: TextFormat, db: DB, ids: readonly string[], schema: Schema): Generator<string> {
  const tickets = () => exportTickets(db, ids, schema);
  const fieldsOf = fieldsLookup(db);
  // Every ticket is read once: mapped, each page of the index would count in the process's memory.
  const restore = leanWhileBuilding(db);
  try {
    if (format === 'jsonl') for (const t of tickets()) yield jsonlLine(t);
    else if (format === 'csv') {
      yield CSV_HEADER;
      for (const t of tickets()) yield csvRow(t);
    } else if (format === 'beads') {
      const { keyOf, through } = new Keys(beadsKeyIn, fieldsOf);
      let keys: Set<string> | undefined;
      const context = { schema, keyOf, keys: () => (keys ??= new Set(ids.map(keyOf))) };
      for (const t of through(tickets())) yield beadsLine(t, context);
    } else yield* markdownPieces(db, ids, fieldsOf, schema);
  } finally {
    restore();
  }
}

type ExportInput = z.infer<typeof exportInput>;
type TextFormat = Exclude<ExportResult['format'], 'backlog'>;

/** What an export selects: its index, schema and the ids of its tickets in order. */
async function selection(ctx: OpContext, input: ExportInput): Promise<{ db: DB; schema: Schema; ids: string[] }> {
  const idx = await readIndex(ctx, input.at);
  const schema = indexedSchema(idx.db);
  if (!schema)
    throw new TackError('no_store', 'the index has no schema; expected an initialised store (run `tack init`)');
  const parent = input.parent ? resolveId(idx.db, input.parent) : undefined;
  const { format: _format, ...filters } = input;
  if (filters.limit === 0) filters.limit = undefined;
  // Unlike `list`, an export is of everything unless filtered: completed work included.
  const category = filters.status?.length || filters.category?.length ? filters.category : [...CATEGORIES];
  // The selection may scan the whole table (unmapped, as the export's reads are: see textChunks).
  const restore = leanWhileBuilding(idx.db);
  try {
    return { db: idx.db, schema, ids: listTicketIds(idx.db, { ...filters, category, parent, sort: 'id' }) };
  } finally {
    restore();
  }
}

/** An export as text that is made as it is read: the terminal writes it out a piece at a time. */
export interface ExportText {
  format: TextFormat;
  count: number;
  chunks: Iterable<string>;
}

/** The text formats of an export, a piece at a time (`backlog`, a folder, is the operation's alone). */
export async function exportText(ctx: OpContext, input: ExportInput & { format: TextFormat }): Promise<ExportText> {
  const { db, schema, ids } = await selection(ctx, input);
  return { format: input.format, count: ids.length, chunks: textChunks(input.format, db, ids, schema) };
}

/** A Backlog.md folder's files, made as they are read: the terminal writes each as it comes. */
export async function exportFolder(
  ctx: OpContext,
  input: ExportInput,
): Promise<{ count: number; files: Iterable<BacklogExportFile> }> {
  const { db, schema, ids } = await selection(ctx, input);
  const { keyOf, through } = new Keys(backlogKeyIn, fieldsLookup(db));
  const projectName = ctx.store().repo.workTree.split(/[\\/]/).pop() || 'tack';
  function* files(): Generator<BacklogExportFile> {
    const restore = leanWhileBuilding(db);
    try {
      const context = { keys: ids.map(keyOf), keyOf, schema, projectName };
      yield* backlogFiles(through(exportTickets(db, ids, schema)), context);
    } finally {
      restore();
    }
  }
  return { count: ids.length, files: files() };
}

export default defineOp({
  name: 'export',
  summary:
    'Export tickets as JSONL, CSV, a markdown task list, beads JSONL or a Backlog.md folder (list filters apply; all states by default)',
  kind: 'read',
  cacheable: true,
  cli: { args: ['format'], short: { s: 'status', t: 'type', l: 'label', a: 'assignee', p: 'priority', n: 'limit' } },
  input: exportInput,
  output: exportResultShape,
  async run(ctx, input): Promise<ExportResult> {
    const { format } = input;
    if (format === 'backlog') {
      const folder = await exportFolder(ctx, input);
      return { format, count: folder.count, text: '', files: [...folder.files] };
    }
    const text = await exportText(ctx, { ...input, format });
    return { format, count: text.count, text: [...text.chunks].join('') };
  },
});
