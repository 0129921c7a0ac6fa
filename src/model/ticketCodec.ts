import { Document, isMap, isScalar, type Pair, type YAMLMap } from 'yaml';
import { boundedJs, fileProblem, fileText, parseBoundedYaml, YAML_LIMITS } from './boundedYaml.js';
import { escapeText, parseComments, serializeComments, type Comment, type ReadWarning } from './comments.js';
import { ticketFromData, type Ticket, type TicketData } from './ticket.js';
import type { Schema } from './schema.js';
import { fastFrontMatter } from './fastFrontMatter.js';
import { plainFields, plainYaml, type PlainFields } from './plainFrontMatter.js';

/**
 * The ticket file: YAML front matter + markdown body + comments. The YAML Document is kept
 * (not a plain object) so unknown fields, key order, quoting and comments survive writes.
 */
export interface TicketFile {
  doc: Document;
  body: string;
  comments: Comment[];
  /** What the reader worked around (a repeated comment id); the file still reads. */
  warnings?: ReadWarning[];
}

const STRINGIFY = { flowCollectionPadding: false, lineWidth: 0 } as const;

/** Where a new key goes: before these (so timestamps stay last), else at the end. */
const TAIL_KEYS = ['created', 'updated'];

const parseError = (path: string, line: number, problem: string) => fileProblem(path, line, problem);

/**
 * Split `---\n<yaml>---\n<rest>`; lines are 1-based in the file. The text is checked first
 * (size, UTF-8, NUL): files come from git and may have been written by anyone.
 */
function splitFrontMatter(input: string | Uint8Array, path: string): { yaml: string; rest: string; restLine: number } {
  const text = fileText(input, path);
  const src = text.startsWith('\ufeff') ? text.slice(1) : text;
  if (!/^---\r?\n/.test(src)) {
    throw parseError(
      path,
      1,
      'expected YAML front matter starting with a "---" line; received ' +
        JSON.stringify(src.split('\n', 1)[0].slice(0, 40)),
    );
  }
  const start = src.indexOf('\n') + 1;
  const close = /^---[ \t]*\r?$/m;
  const after = src.slice(start);
  const m = close.exec(after);
  if (!m) {
    throw parseError(path, 1, 'front matter is not closed: expected a "---" line after the fields');
  }
  const yaml = after.slice(0, m.index);
  let rest = after.slice(m.index + m[0].length);
  if (rest.startsWith('\n')) rest = rest.slice(1);
  const restLine = linesBefore(src, src.length - rest.length);
  return { yaml, rest, restLine };
}

/** The 1-based line at offset `end` of `src` (counted in place: a split made every line a string). */
function linesBefore(src: string, end: number): number {
  let line = 1;
  for (let at = src.indexOf('\n'); at >= 0 && at < end; at = src.indexOf('\n', at + 1)) line++;
  return line;
}

export function parseTicketFile(text: string | Uint8Array, path: string): TicketFile {
  const { yaml, rest, restLine } = splitFrontMatter(text, path);
  const doc = parseBoundedYaml(yaml, path, 2); // line 2: after the opening "---"
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw parseError(path, 2, 'front matter must be a map of fields (key: value)');
  }
  if (doc.contents === null) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  const { body, comments, warnings } = parseComments(rest, path, restLine);
  return warnings.length > 0 ? { doc, body, comments, warnings } : { doc, body, comments };
}

/** New files whose front matter has no Document yet (see newTicketFile). */
const plainOf = new WeakMap<TicketFile, PlainFields>();

export function serializeTicketFile(file: TicketFile): string {
  const plainFm = plainOf.get(file);
  const yaml = plainFm ? plainYaml(plainFm) : file.doc.toString(STRINGIFY);
  // Every writer (CLI, REST, MCP, SQL, importers, connectors, merges) ends here, so this is
  // the one place description and comment text is escaped.
  const body = file.comments.length > 0 ? serializeComments(file.body, file.comments) : escapeText(file.body);
  return `---\n${yaml}---\n${body}`;
}

/** Plain-object view of the front matter. */
export function fieldsOf(file: TicketFile): Record<string, unknown> {
  const plainFm = plainOf.get(file);
  if (plainFm) return Object.fromEntries(plainFm.map(([k, v]) => [k, Array.isArray(v) ? [...v] : v]));
  const js = boundedJs(file.doc);
  return js && typeof js === 'object' ? (js as Record<string, unknown>) : {};
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}

/**
 * Set (or, for null/undefined/empty lists, remove) one field, keeping everything else:
 * the key's position, its comments, and the rest of the document.
 */
export function setField(file: TicketFile, key: string, value: unknown): void {
  const map = file.doc.contents as YAMLMap;
  if (isEmpty(value)) {
    map.delete(key);
    return;
  }
  const node = file.doc.createNode(value, { flow: Array.isArray(value) });
  const existing = map.items.find((p: Pair) => isScalar(p.key) && p.key.value === key);
  if (existing) {
    const old = existing.value;
    // Keep a trailing "# comment" that was attached to the old value.
    if (old && typeof old === 'object' && 'comment' in old && (old as { comment?: string }).comment) {
      (node as { comment?: string }).comment = (old as { comment?: string }).comment;
    }
    existing.value = node;
    return;
  }
  const pair = file.doc.createPair(key, node) as Pair;
  const tailIndex = map.items.findIndex((p: Pair) => isScalar(p.key) && TAIL_KEYS.includes(String(p.key.value)));
  if (tailIndex >= 0 && !TAIL_KEYS.includes(key)) map.items.splice(tailIndex, 0, pair);
  else map.items.push(pair);
}

/** Rename a front-matter key in place (schema rename-field). */
export function renameField(file: TicketFile, from: string, to: string): boolean {
  const map = file.doc.contents as YAMLMap;
  const pair = map.items.find((p: Pair) => isScalar(p.key) && p.key.value === from);
  if (!pair || !isScalar(pair.key)) return false;
  pair.key.value = to;
  return true;
}

/** A new, empty ticket file whose fields are set in the given order. */
export function newTicketFile(fields: Array<[string, unknown]>, body: string): TicketFile {
  const plainFm = plainFields(fields, TAIL_KEYS);
  if (plainFm) return lazyDocFile(plainFm, body);
  const file: TicketFile = { doc: new Document({}), body, comments: [] };
  for (const [k, v] of fields) setField(file, k, v);
  return file;
}

/**
 * A new file whose Document is made only when something asks for it (an edit after
 * creation, a clone): until then it is written and read from its plain fields, so a
 * plain `create` never loads the YAML library. The Document, once made, is the one the
 * fields would have given, and replaces them.
 */
function lazyDocFile(plainFm: PlainFields, body: string): TicketFile {
  let doc: Document | null = null;
  const file = { body, comments: [] } as unknown as TicketFile;
  Object.defineProperty(file, 'doc', {
    enumerable: true,
    get(): Document {
      if (doc === null) {
        const made: TicketFile = { doc: new Document({}), body: '', comments: [] };
        for (const [k, v] of plainFm) setField(made, k, v);
        doc = made.doc;
        plainOf.delete(file);
      }
      return doc;
    },
    set(value: Document) {
      doc = value;
      plainOf.delete(file);
    },
  });
  plainOf.set(file, plainFm);
  return file;
}

export function dataOf(file: TicketFile): TicketData {
  const data: TicketData = { fields: fieldsOf(file), body: file.body, comments: file.comments };
  if (file.warnings) data.warnings = file.warnings;
  return data;
}

/** The normalised ticket of a parsed file (YAML lives here, so ticket.ts stays light). */
export function ticketFromFile(schema: Schema, file: TicketFile): Ticket {
  return ticketFromData(schema, dataOf(file));
}

/**
 * The content of a ticket file for reading only (the index): plain front matter takes a
 * fast path; anything else goes through the YAML parser, with the same answer.
 */
export function parseTicketData(text: string | Uint8Array, path: string): TicketData {
  const { yaml, rest, restLine } = splitFrontMatter(text, path);
  const fields =
    Buffer.byteLength(yaml, 'utf8') <= YAML_LIMITS.yamlBytes ? fastFrontMatter(yaml, YAML_LIMITS.keys) : null;
  if (fields === null) return dataOf(parseTicketFile(text, path));
  const { body, comments, warnings } = parseComments(rest, path, restLine);
  return warnings.length > 0 ? { fields, body, comments, warnings } : { fields, body, comments };
}
