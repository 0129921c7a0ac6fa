import { z } from 'zod';
import { TackError } from '../model/errors.js';
import { coerceCustomValue } from '../model/ticket.js';
import type { FieldDef, Schema } from '../model/schema.js';
import { indexedSchema } from '../index/indexDb.js';
import { resolveId } from '../index/ticketIds.js';
import { classifySql } from '../index/sqlStatement.js';
import { previewTicketUpdate, type CellChange } from '../index/sqlConsole.js';
import { queryBounded, SQL_TIMEOUT_MS } from '../index/boundedQuery.js';
import { readConfig } from '../git/config.js';
import { millisSetting } from '../model/duration.js';
import type { TicketEditor } from './ticketEditor.js';
import { atRev, readIndex } from './readInput.js';
import { mutate } from './mutate.js';
import { defineOp, type OpContext } from './op.js';
import { lazyShape } from '../model/jsonShapes.js';

/** Index columns that are not front-matter fields, and why they cannot be set. */
const DERIVED: Record<string, string> = {
  id: "is the ticket's identity (its file name)",
  short_id: 'is derived from the ids',
  path: 'is where the index found the file',
  blob: 'is the git blob the row was read from',
  category: 'follows from status (set status instead)',
  category_rank: 'follows from status (set status instead)',
  priority_rank: 'follows from priority (set priority instead)',
  created: 'is set when the ticket is created',
  updated: 'is set by every change',
  fields: 'is the raw front matter (set the columns instead)',
  dirty: 'tells whether the file has uncommitted edits',
};
const REQUIRED = ['title', 'type', 'status', 'priority'];
const OPTIONAL = ['assignee', 'owner', 'project', 'resolution', 'parent'];

function writableColumns(schema: Schema): string[] {
  return [...new Set([...REQUIRED, ...OPTIONAL, 'body', ...schema.fields.map((f) => f.name)])];
}

/** A value from SQLite as the front matter holds it for this custom field. */
function fieldValue(def: FieldDef, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (def.type === 'number' && typeof v === 'number') return v;
  if (def.type === 'bool' && (v === 0 || v === 1)) return v === 1;
  if (def.type === 'list' && typeof v === 'string' && v.trim().startsWith('[')) {
    try {
      return JSON.parse(v) as unknown;
    } catch {
      // not JSON: read as a comma-separated list below
    }
  }
  return coerceCustomValue(def, String(v));
}

function checkWritable(schema: Schema, changes: readonly CellChange[]): void {
  const writable = writableColumns(schema);
  for (const c of changes) {
    if (writable.includes(c.column)) {
      if (REQUIRED.includes(c.column) && (c.new === null || String(c.new).trim() === '')) {
        throw new TackError(
          'invalid_input',
          `ticket ${c.id}: ${c.column} cannot be empty; received ${JSON.stringify(c.new)}`,
          { id: c.id, column: c.column },
        );
      }
      continue;
    }
    const why = DERIVED[c.column] ?? 'is not a ticket field';
    throw new TackError(
      'read_only',
      `column "${c.column}" cannot be written: it ${why}; writable columns: ${writable.join(', ')}`,
      {
        column: c.column,
        writable,
      },
    );
  }
}

function applyCell(ed: TicketEditor, c: CellChange): void {
  const v = c.new;
  if (c.column === 'body') {
    const text = v === null ? '' : String(v);
    ed.load(c.id).body = text.trim() === '' ? '' : `${text.trimEnd()}\n`;
    return;
  }
  const def = ed.schema.fields.find((f) => f.name === c.column);
  if (def) {
    ed.set(c.id, c.column, fieldValue(def, v));
    return;
  }
  if (REQUIRED.includes(c.column)) {
    ed.set(c.id, c.column, String(v));
    return;
  }
  const text = v === null || String(v).trim() === '' ? null : String(v);
  ed.set(c.id, c.column, c.column === 'parent' && text ? resolveId(ed.index.db, text) : text);
}

/** The --timeout flag, else `git config tack.sql.timeout`, else 5 s. */
function sqlTimeout(ctx: OpContext, flag: string | undefined): number {
  if (flag !== undefined) return millisSetting(flag, '--timeout');
  const configured = readConfig(ctx.store().repo, 'tack.sql', 'timeout');
  return configured === null ? SQL_TIMEOUT_MS : millisSetting(configured, 'tack.sql.timeout');
}

export default defineOp({
  name: 'sql',
  summary: 'Run SQL on the index (read-only; --write turns an UPDATE of tickets into a commit)',
  // 'write': with --write it commits, so no surface may treat it as a safe read.
  kind: 'write',
  writesWith: ['write'],
  cli: { args: ['...query'], short: { p: 'param' } },
  input: z.object({
    query: z
      .string()
      .trim()
      .min(1)
      .describe(
        'one SQL statement; tables: tickets, labels, relations, edges, comments, links, tags, docs, history, commits, …',
      ),
    param: z.array(z.string()).optional().describe('binds the next ? (repeatable)'),
    write: z.boolean().optional().describe('allow an UPDATE of the tickets table; applied as one validated commit'),
    timeout: z.string().trim().min(1).optional().describe('time limit (default 5s)'),
    at: atRev,
  }),
  output: lazyShape(() =>
    z.union([
      z.array(z.record(z.string(), z.unknown())),
      z.strictObject({
        commit: z.string().nullable(),
        matched: z.number(),
        tickets: z.array(z.string()),
        changes: z.array(z.strictObject({ id: z.string(), column: z.string(), old: z.unknown(), new: z.unknown() })),
        message: z.string().optional(),
      }),
    ]),
  ),
  async run(ctx, input) {
    const params = input.param ?? [];
    if (!input.write) {
      const ms = sqlTimeout(ctx, input.timeout);
      return queryBounded(await readIndex(ctx, input.at), input.query, params, ms, ctx.signal);
    }
    if (input.at)
      throw new TackError(
        'invalid_input',
        '--write changes the tracker now; it cannot be combined with --at (a past revision)',
      );
    const { verb, table } = classifySql(input.query);
    if (verb !== 'update' || table !== 'tickets') {
      throw new TackError(
        'read_only',
        `--write accepts only UPDATE statements on the tickets table; received ${verb ? `a ${verb.toUpperCase()}` : 'something else'}${table ? ` of table ${table}` : ''}. Labels, relations and comments change through their commands (label, link, comment) or \`tack batch\``,
        { verb, table },
      );
    }
    const idx = await ctx.index();
    const schema = indexedSchema(idx.db)!;
    const { matched, changes } = previewTicketUpdate(idx.db, input.query, params);
    checkWritable(schema, changes);
    const ids = [...new Set(changes.map((c) => c.id))];
    if (changes.length === 0) {
      return {
        commit: null,
        matched,
        tickets: [],
        changes: [],
        message: `the UPDATE matched ${matched} ticket${matched === 1 ? '' : 's'} but changed nothing; nothing written`,
      };
    }
    const columns = [...new Set(changes.map((c) => c.column))];
    const { commit } = await mutate(ctx, 'sql', (ed) => {
      for (const c of changes) applyCell(ed, c);
      return {
        subject: `sql: update ${ids.length} ticket${ids.length === 1 ? '' : 's'} (${columns.join(', ')})`,
        body: input.query.trim(),
        value: null,
      };
    });
    return { commit, matched, tickets: ids, changes };
  },
});
