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
    p.tickets?.(ed);
    const changeSet = ed.finish(p.subject, op);
    changeSet.changes.push({ path: 'schema.yaml', content: p.text });
    if (p.body) changeSet.body = p.body;
    return { changeSet, value: p.value };
  });
  return { commit: res.commit, value: res.value, schema: schema! };
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
