import type { Comment } from '../model/comments.js';
import { TackError } from '../model/errors.js';
import { isTicketId } from '../model/ids.js';
import { parseJsonLines } from './beadsParse.js';
import { emptyNeeds, type ImportRecord, type ImportSource, type ListedSource } from './importRecord.js';

/** Keys of an exported line that are not front matter (or that the import engine writes itself). */
const NOT_FIELDS = new Set(['id', 'description', 'comments', 'aliases', 'parent']);

function text(v: unknown, what: string, line: number): string {
  if (typeof v === 'string') return v;
  throw new TackError('invalid_input', `line ${line}: ${what} must be a string; received ${JSON.stringify(v)}`, {
    line,
  });
}

function comments(v: unknown, line: number): Comment[] {
  if (v === undefined) return [];
  if (!Array.isArray(v))
    throw new TackError('invalid_input', `line ${line}: "comments" must be a list; received ${typeof v}`, { line });
  return v.map((c, i) => {
    const o = (c ?? {}) as Record<string, unknown>;
    const what = (k: string) => `comments[${i}].${k}`;
    return {
      id: text(o.id, what('id'), line),
      author: text(o.author, what('author'), line),
      created: text(o.created, what('created'), line),
      text: text(o.text, what('text'), line),
    };
  });
}

function strings(v: unknown, what: string, line: number): string[] {
  if (v === undefined) return [];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  throw new TackError(
    'invalid_input',
    `line ${line}: ${what} must be a list of strings; received ${JSON.stringify(v)}`,
    {
      line,
    },
  );
}

/**
 * Tack's own `export jsonl` read back: each line is a whole ticket (front matter,
 * `description`, `comments`) under its Tack id, so a round trip on the same store
 * changes nothing and an import into an empty store keeps every id. Types, states
 * and priorities the schema lacks are added (a state of unknown category as triage).
 */
export function jsonlSource(input: string): ImportSource {
  const src: ListedSource = {
    kind: 'jsonl',
    records: [],
    needs: emptyNeeds(),
    warnings: [],
    skipped: [],
    managedKeys: [],
  };
  const managed = new Set<string>(['title', 'type', 'status', 'priority', 'labels', 'assignee', 'parent', 'project']);
  parseJsonLines(input, 'exported ticket').forEach((o, n) => {
    const line = n + 1;
    const id = o.id as string;
    if (!isTicketId(id)) {
      src.skipped.push({
        key: id,
        reason: `line ${line}: "${id}" is not a ticket id (expected prefix-id, e.g. tk-3fa9x2kq)`,
      });
      return;
    }
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) if (!NOT_FIELDS.has(k)) fields[k] = v;
    for (const k of Object.keys(fields)) managed.add(k);
    const rec: ImportRecord = {
      key: id,
      fields,
      body: text(o.description ?? '', 'description', line),
      comments: comments(o.comments, line),
      relations: {},
      keepId: true,
      aliases: strings(o.aliases, 'aliases', line),
    };
    if (o.parent !== undefined && o.parent !== null) rec.parent = text(o.parent, 'parent', line);
    src.records.push(rec);
    need(src, fields);
  });
  src.managedKeys = [...managed];
  return src;
}

function need(src: ImportSource, fields: Record<string, unknown>): void {
  const { needs } = src;
  if (typeof fields.type === 'string' && !needs.types.includes(fields.type)) needs.types.push(fields.type);
  if (typeof fields.priority === 'string' && !needs.priorities.includes(fields.priority))
    needs.priorities.push(fields.priority);
  if (typeof fields.status === 'string' && !needs.states.some((s) => s.name === fields.status))
    needs.states.push({ name: fields.status, category: 'triage' });
}
