import type { Comment } from '../model/comments.js';
import { TackError } from '../model/errors.js';
import { isTicketId } from '../model/ids.js';
import { eachJsonObject } from './beadsParse.js';
import { fileLines } from './fileLines.js';
import { emptyNeeds, type ImportRecord, type ImportSource } from './importRecord.js';

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
  return jsonlLines(() => input.split('\n'));
}

/**
 * jsonlSource of a file, without holding it (an export of 100,000 tickets is ~100 MB): read
 * once for what the whole source says (the keys it sets, the schema's additions, the lines
 * it skips), then again each time the records are iterated (see fileLines).
 */
export function jsonlFileSource(path: string): ImportSource {
  return jsonlLines(() => fileLines(path));
}

function jsonlLines(lines: () => Iterable<string>): ImportSource {
  const src: ImportSource = {
    kind: 'jsonl',
    records: [],
    needs: emptyNeeds(),
    warnings: [],
    skipped: [],
    managedKeys: [],
  };
  const managed = new Set<string>(['title', 'type', 'status', 'priority', 'labels', 'assignee', 'parent', 'project']);
  /** Each exported ticket with its line (among the non-blank ones); a line that is not one is skipped. */
  const tickets = function* (): Generator<{ o: Record<string, unknown>; line: number }> {
    let line = 0;
    for (const o of eachJsonObject(lines(), 'exported ticket')) {
      line++;
      if (isTicketId(o.id as string)) yield { o, line };
    }
  };
  let line = 0;
  for (const o of eachJsonObject(lines(), 'exported ticket')) {
    line++;
    const id = o.id as string;
    if (!isTicketId(id)) {
      src.skipped.push({
        key: id,
        reason: `line ${line}: "${id}" is not a ticket id (expected prefix-id, e.g. tk-3fa9x2kq)`,
      });
      continue;
    }
    const rec = toRecord(o, line);
    for (const k of Object.keys(rec.fields)) managed.add(k);
    need(src, rec.fields);
  }
  src.records = {
    length: line - src.skipped.length,
    *[Symbol.iterator]() {
      for (const { o, line: n } of tickets()) yield toRecord(o, n);
    },
  };
  src.managedKeys = [...managed];
  return src;
}

/** One exported line's record (its values checked: a wrong type is an error naming the line). */
function toRecord(o: Record<string, unknown>, line: number): ImportRecord {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!NOT_FIELDS.has(k)) fields[k] = v;
  const rec: ImportRecord = {
    key: o.id as string,
    fields,
    body: text(o.description ?? '', 'description', line),
    comments: comments(o.comments, line),
    relations: {},
    keepId: true,
    aliases: strings(o.aliases, 'aliases', line),
  };
  if (o.parent !== undefined && o.parent !== null) rec.parent = text(o.parent, 'parent', line);
  return rec;
}

function need(src: ImportSource, fields: Record<string, unknown>): void {
  const { needs } = src;
  if (typeof fields.type === 'string' && !needs.types.includes(fields.type)) needs.types.push(fields.type);
  if (typeof fields.priority === 'string' && !needs.priorities.includes(fields.priority))
    needs.priorities.push(fields.priority);
  if (typeof fields.status === 'string' && !needs.states.some((s) => s.name === fields.status))
    needs.states.push({ name: fields.status, category: 'triage' });
}
