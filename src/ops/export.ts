import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { toCsv, toJsonl, type ExportTicket } from '../model/exportFormats.js';
import { toBeadsJsonl } from '../model/beadsFormat.js';
import { toBacklogFiles } from '../model/backlogFormat.js';
import { formatTaskList, tasksFromTickets } from '../model/tasksMarkdown.js';
import { CATEGORIES, type Schema } from '../model/schema.js';
import { indexedSchema, type DB } from '../index/indexDb.js';
import { listTickets } from '../index/queries.js';
import { resolveId } from '../index/ticketIds.js';
import listOp from './list.js';
import { readIndex } from './readInput.js';
import { defineOp } from './op.js';
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

interface Row {
  id: string;
  fields: Record<string, unknown>;
  body: string;
  archived: boolean;
}

/** Every ticket's front matter (references outside the selection still need their keys). */
function allRows(db: DB): Map<string, Row> {
  const rows = db
    .prepare<{
      id: string;
      fields: string;
      body: string;
      archived: number;
    }>('SELECT id, fields, body, archived FROM tickets')
    .all();
  return new Map(
    rows.map((r) => [
      r.id,
      { id: r.id, fields: JSON.parse(r.fields) as Record<string, unknown>, body: r.body, archived: r.archived === 1 },
    ]),
  );
}

function exportTickets(db: DB, ids: string[], rows: Map<string, Row>, schema: Schema): ExportTicket[] {
  const comments = db.prepare<{ id: string; author: string; created: string; body: string }>(
    'SELECT id, author, created, body FROM comments WHERE ticket = ? ORDER BY created, seq',
  );
  const blockers = db.prepare<{ src: string }>(
    "SELECT src FROM relations WHERE kind = 'blocks' AND dst = ? ORDER BY src",
  );
  return ids.map((id) => {
    const r = rows.get(id)!;
    const cs = comments.all(id);
    // Values a file leaves to the schema's defaults are exported as what they mean.
    const fields = {
      ...r.fields,
      type: r.fields.type ?? schema.defaultType,
      status: r.fields.status ?? schema.defaultStatus,
      priority: r.fields.priority ?? schema.defaultPriority,
    };
    return {
      id,
      fields,
      body: r.body,
      comments: cs.map((c) => ({ id: c.id, author: c.author ?? '', created: c.created ?? '', text: c.body ?? '' })),
      blockedBy: blockers.all(id).map((b) => b.src),
      archived: r.archived,
    };
  });
}

function aliases(f: Record<string, unknown>): string[] {
  return Array.isArray(f.aliases) ? f.aliases.map(String) : typeof f.aliases === 'string' ? [f.aliases] : [];
}

/** The id a ticket had in beads (its first alias, when it came from beads), else its Tack id. */
function beadsKey(rows: Map<string, Row>): (id: string) => string {
  return (id) => {
    const f = rows.get(id)?.fields;
    return f && f.beads !== undefined && aliases(f)[0] ? aliases(f)[0] : id;
  };
}

/** The id a ticket had in Backlog.md (its first alias, when it came from there), else its Tack id. */
function backlogKey(rows: Map<string, Row>): (id: string) => string {
  return (id) => {
    const f = rows.get(id)?.fields;
    // `BACK-7@archive/tasks`: the import's name for a second file with the same id.
    return f && f.backlog !== undefined && aliases(f)[0] ? aliases(f)[0].replace(/@[\w/]+$/, '') : id;
  };
}

/** The key a ticket has in a task list (`markdown.key`), else its Tack id. */
function markdownKey(rows: Map<string, Row>): (id: string) => string {
  return (id) => {
    const m = rows.get(id)?.fields.markdown as { key?: unknown } | undefined;
    return m && typeof m.key === 'string' && m.key ? m.key : id;
  };
}

function render(
  format: ExportResult['format'],
  tickets: ExportTicket[],
  rows: Map<string, Row>,
  schema: Schema,
): string {
  if (format === 'jsonl') return toJsonl(tickets);
  if (format === 'csv') return toCsv(tickets);
  if (format === 'beads') return toBeadsJsonl(tickets, schema, beadsKey(rows));
  const key = markdownKey(rows);
  const list = tasksFromTickets(
    tickets.map((t) => ({
      key: key(t.id),
      title: String(t.fields.title ?? ''),
      status: String(t.fields.status ?? schema.defaultStatus),
      project: typeof t.fields.project === 'string' ? t.fields.project : null,
      body: t.body,
      dependsOn: t.blockedBy.map(key),
    })),
    schema.projects,
  );
  return formatTaskList(list);
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
    const idx = await readIndex(ctx, input.at);
    const schema = indexedSchema(idx.db);
    if (!schema)
      throw new TackError('no_store', 'the index has no schema; expected an initialised store (run `tack init`)');
    const parent = input.parent ? resolveId(idx.db, input.parent) : undefined;
    const { format, ...filters } = input;
    if (filters.limit === 0) filters.limit = undefined;
    // Unlike `list`, an export is of everything unless filtered: completed work included.
    const category = filters.status?.length || filters.category?.length ? filters.category : [...CATEGORIES];
    const selected = listTickets(idx.db, { ...filters, category, parent, sort: 'id' });
    const rows = allRows(idx.db);
    const tickets = exportTickets(
      idx.db,
      selected.map((t) => t.id).filter((id) => rows.has(id)),
      rows,
      schema,
    );
    if (format === 'backlog') {
      const files = toBacklogFiles(
        tickets,
        schema,
        backlogKey(rows),
        ctx.store().repo.workTree.split(/[\\/]/).pop() || 'tack',
      );
      return { format, count: tickets.length, text: '', files };
    }
    return { format, count: tickets.length, text: render(format, tickets, rows, schema) };
  },
});
