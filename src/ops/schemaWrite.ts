import { z } from 'zod';
import { parseDocument, type Document } from 'yaml';
import { fileText, parseBoundedYaml } from '../model/boundedYaml.js';
import { lazyShape } from '../model/jsonShapes.js';
import { TackError } from '../model/errors.js';
import { checkNewOneLine, schemaNames } from '../model/oneLine.js';
import type { Schema } from '../model/schema.js';
import type { Index } from '../index/indexDb.js';
import { schemaPath } from '../store/store.js';
import { parseSchemaText, readStoreFile } from '../store/storeReader.js';
import { editingMany } from './bulkEdit.js';
import type { ChangeSet } from '../store/storeWriter.js';
import { commitWrite } from './mutate.js';
import type { OpContext } from './op.js';
import { TicketEditor } from './ticketEditor.js';

/** What a schema operation wants to commit, computed from the schema text at the head. */
export interface SchemaPlan<T> {
  text: string;
  subject: string;
  body?: string;
  value: T;
  /** Rewrites of tickets that ride in the same commit, validated against the new schema. */
  tickets?(ed: TicketEditor): void;
}

/** schema.yaml as the user sees it now (inline: the checked-out file). */
export function currentSchemaText(ctx: OpContext, head?: string | null): string {
  const store = ctx.store();
  const text = readStoreFile(store, store.mode === 'inline' || head === undefined ? null : head, 'schema.yaml');
  if (text === null)
    throw new TackError('no_store', `the store has no ${schemaPath(store)}; expected one (run \`tack init\`)`);
  return text;
}

/** The names of the schema being replaced; none if it does not parse (then all are new). */
function oldNames(text: string): Array<[string, string]> {
  try {
    return schemaNames(parseSchemaText(text, 'schema.yaml'));
  } catch {
    return [];
  }
}

/** What a rename of a state or a field answers: the tickets it rewrote, in one commit. */
export const schemaRenameShape = lazyShape(() =>
  z.strictObject({
    from: z.string(),
    to: z.string(),
    tickets: z.array(z.string()),
    commit: z.string().nullable(),
    message: z.string(),
  }),
);

/**
 * One commit with the new schema.yaml and the tickets it rewrites. `plan` runs against the
 * head the commit is based on (again, if another writer moved the ref meanwhile), with
 * the index caught up to that head.
 */
export async function commitSchema<T>(
  ctx: OpContext,
  op: string,
  plan: (current: string, idx: Index, head: string | null) => SchemaPlan<T>,
): Promise<{ commit: string | null; value: T; schema: Schema }> {
  const store = ctx.store();
  const now = ctx.now();
  let schema: Schema | null = null;
  const res = await commitWrite(ctx, (head, idx) => {
    const current = currentSchemaText(ctx, head);
    const p = plan(current, idx, head);
    schema = parseSchemaText(p.text, schemaPath(store));
    checkNewOneLine(schemaNames(schema), oldNames(current));
    const ed = new TicketEditor(store, schema, head, idx, now);
    let changeSet: ChangeSet;
    try {
      p.tickets?.(ed);
      changeSet = ed.finish(p.subject, op);
    } catch (e) {
      ed.discard(); // the batches it packed so far: no commit will name them
      throw e;
    }
    changeSet.changes.push({ path: 'schema.yaml', content: p.text });
    if (p.body) changeSet.body = p.body;
    return { changeSet, value: p.value };
  });
  return { commit: res.commit, value: res.value, schema: schema! };
}

/** A rename of a state or a field: schema.yaml and every ticket that has it, in one commit. */
export interface RenamePlan {
  what: 'state' | 'field';
  from: string;
  to: string;
  /** How many tickets it may rewrite, known before the write (from 1,000 on it runs lean). */
  many: number;
  /** schema.yaml with the name changed. */
  text(current: string): string;
  /** The tickets to rewrite, at the head the commit is based on (may refuse the rename). */
  ids(idx: Index): string[];
  /** Rewrite one ticket. */
  edit(ed: TicketEditor, id: string): void;
}

/** What `schema rename-state` and `rename-field` do and answer (schemaRenameShape). */
export async function commitRename(ctx: OpContext, op: string, r: RenamePlan) {
  const { commit, value } = await editingMany(ctx, r.many, () =>
    commitSchema(ctx, op, (current, idx) => {
      const text = r.text(current);
      const ids = r.ids(idx);
      const has = r.what === 'state' ? `with status ${r.from}` : `that set ${r.from}`;
      return {
        text,
        subject: `schema: rename ${r.what} ${r.from} → ${r.to}`,
        body: `Rewrites ${ids.length} ticket${ids.length === 1 ? '' : 's'} ${has}.`,
        value: ids,
        tickets(ed) {
          // A batch of tickets at a time (a rename of 14,319 held every one: 332–361 MiB).
          ed.each(ids, (id) => r.edit(ed, id));
        },
      };
    }),
  );
  const n = `${value.length} ticket${value.length === 1 ? '' : 's'}`;
  return {
    from: r.from,
    to: r.to,
    tickets: value,
    commit,
    message: `renamed ${r.what} ${r.from} → ${r.to} in schema.yaml and ${n}`,
  };
}

/** Parse schema.yaml keeping node positions, to edit the source text in place. */
export function schemaDocument(text: string, path = 'schema.yaml'): Document {
  return parseBoundedYaml(fileText(text, path, 'invalid_schema'), path, 1, 'invalid_schema');
}

/** A YAML scalar for `value`: plain when it reads back the same in block and flow context, else quoted. */
export function yamlScalar(value: string): string {
  const plain = /^[A-Za-z0-9_][A-Za-z0-9_ ./-]*$/.test(value) && !/\s$/.test(value);
  if (plain) {
    const doc = parseDocument(`[${value}]`);
    const back = doc.toJS() as unknown;
    if (Array.isArray(back) && back.length === 1 && back[0] === value) return value;
  }
  return JSON.stringify(value);
}

/** Replace source ranges (start, end) with new text; everything else stays byte for byte. */
export function spliceText(text: string, edits: Array<{ start: number; end: number; text: string }>): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
