import {
  isAlias,
  isCollection,
  isMap,
  isNode,
  isPair,
  isScalar,
  Lexer,
  parseDocument,
  visit,
  type Document,
  type Node,
  type YAMLMap,
} from 'yaml';
import { TackError, type ErrorCode } from './errors.js';

/**
 * The one YAML reader for files that come from git: any ticket, schema or view file, in
 * any version of history, may have been written by someone else. Everything here is
 * bounded, so a hostile file costs bounded time and memory and becomes a `file:line`
 * problem of that file, never an exception that takes the store down.
 */
export const YAML_LIMITS = {
  /** A whole file (front matter, description and comments). */
  fileBytes: 8 * 1024 * 1024,
  /** The YAML part (a ticket's front matter, a schema file). */
  yamlBytes: 256 * 1024,
  anchors: 100,
  aliases: 100,
  /** Nested lists and maps, aliases expanded. */
  depth: 32,
  /** Map keys in the whole document, aliases expanded. */
  keys: 1000,
  /** Values of any kind once aliases are expanded: what an alias bomb would multiply. */
  values: 10_000,
} as const;

export function fileProblem(path: string, line: number, problem: string, code: ErrorCode = 'parse_error'): TackError {
  return new TackError(code, `${path}:${line}: ${problem}`, { path, line, problem });
}

function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Offset of the first byte that is not valid UTF-8 (only called once decoding failed). */
function firstBadUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0) return i;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + len));
    } catch {
      return i;
    }
    i += len;
  }
  return bytes.length;
}

function lineOfByte(bytes: Uint8Array, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 10) n++;
  return n;
}

/**
 * The text of a file read from git or disk: UTF-8, no NUL, no larger than the limit.
 * Bytes are decoded strictly (a string was decoded by someone else and is only checked).
 */
/** Marks an empty stand-in for a blob too large to read: its size, known from git's object header. */
export const OVERSIZE: unique symbol = Symbol('oversize');

export function fileText(input: string | Uint8Array, path: string, code: ErrorCode = 'parse_error'): string {
  const size =
    typeof input === 'string'
      ? Buffer.byteLength(input, 'utf8')
      : ((input as { [OVERSIZE]?: number })[OVERSIZE] ?? input.length);
  if (size > YAML_LIMITS.fileBytes) {
    throw fileProblem(path, 1, `file is ${size} bytes; expected at most ${YAML_LIMITS.fileBytes} (8 MiB)`, code);
  }
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(input);
    } catch {
      const at = firstBadUtf8(input);
      throw fileProblem(path, lineOfByte(input, at), `invalid UTF-8 at byte ${at}; expected a UTF-8 text file`, code);
    }
  }
  const nul = text.indexOf('\0');
  if (nul >= 0)
    throw fileProblem(path, lineAt(text, nul), 'NUL byte in the file; expected text, not binary data', code);
  return text;
}

/**
 * Counted on tokens before anything is built: flow nesting (`[[[...`, the composer recurses
 * per level) and the number of values (composing is slow, and yaml's own duplicate-key
 * check is quadratic).
 */
function checkTokens(yaml: string, path: string, firstLine: number, code: ErrorCode): void {
  let depth = 0;
  let line = firstLine;
  let values = 0;
  for (const tok of new Lexer().lex(yaml)) {
    if (tok === '\x1f' || tok[0] === '"' || tok[0] === "'") {
      if (++values > YAML_LIMITS.values) throw fileProblem(path, line, `more than ${YAML_LIMITS.values} values`, code);
    } else if (tok === '[' || tok === '{') {
      if (++depth > YAML_LIMITS.depth)
        throw fileProblem(path, line, `lists and maps nest deeper than ${YAML_LIMITS.depth} levels`, code);
    } else if (tok === ']' || tok === '}') depth = Math.max(0, depth - 1);
    for (let i = tok.indexOf('\n'); i >= 0; i = tok.indexOf('\n', i + 1)) line++;
  }
}

interface Walk {
  yaml: string;
  path: string;
  firstLine: number;
  code: ErrorCode;
  /** Each alias's node, found once (yaml's Alias.resolve walks the whole document per call). */
  targets: Map<Node, Node>;
}

function nodeLine(w: Walk, node: unknown): number {
  const range = isNode(node) ? node.range : undefined;
  return w.firstLine + lineAt(w.yaml, range ? range[0] : 0) - 1;
}

/** yaml's own check compares every pair with every other: a Set per map instead. */
function checkUniqueKeys(map: YAMLMap, fail: (node: unknown, problem: string) => never): void {
  const keys = new Set<string>();
  for (const pair of map.items) {
    const k = isScalar(pair.key) ? `${typeof pair.key.value}:${String(pair.key.value)}` : 'null';
    if (keys.has(k))
      fail(
        pair.key ?? map,
        `duplicate key ${JSON.stringify(isScalar(pair.key) ? pair.key.value : null)}; keys must be unique`,
      );
    keys.add(k);
  }
}

/** Tags, anchors, aliases, cycles, keys and depth as written (before expansion). */
function checkNodes(doc: Document, w: Walk): void {
  let anchors = 0;
  let aliases = 0;
  const byName = new Map<string, Node>(); // an alias names the nearest anchor before it
  const fail = (node: unknown, problem: string): never => {
    throw fileProblem(w.path, nodeLine(w, node), problem, w.code);
  };
  visit(doc, {
    Node(_, node, path) {
      if (node.tag)
        fail(
          node,
          `YAML tag ${JSON.stringify(node.tag.replace('tag:yaml.org,2002:', '!!'))} is not allowed; expected plain values (no ! or !! tags)`,
        );
      if (!isAlias(node) && node.anchor) {
        if (++anchors > YAML_LIMITS.anchors) fail(node, `more than ${YAML_LIMITS.anchors} anchors (&name)`);
        byName.set(node.anchor, node);
      }
      if (isCollection(node) && path.filter((p) => isCollection(p)).length >= YAML_LIMITS.depth) {
        fail(node, `lists and maps nest deeper than ${YAML_LIMITS.depth} levels`);
      }
      if (isMap(node)) checkUniqueKeys(node, fail);
      if (!isAlias(node)) return;
      if (++aliases > YAML_LIMITS.aliases) fail(node, `more than ${YAML_LIMITS.aliases} aliases (*name)`);
      const target = byName.get(node.source);
      if (!target) return fail(node, `alias *${node.source} refers to no anchor`);
      if (path.includes(target)) fail(node, `alias *${node.source} refers to a value that contains it (a cycle)`);
      w.targets.set(node, target);
    },
    Pair(_, pair) {
      if (pair.key !== null && !isScalar(pair.key))
        fail(pair.key, 'a map key must be plain text, not a list, a map or an alias');
    },
  });
}

/** Count what an expansion of aliases would produce, stopping at the limits. */
function checkExpansion(doc: Document, w: Walk): void {
  let values = 0;
  let keys = 0;
  const seen = (node: unknown, depth: number, at: unknown): void => {
    if (++values > YAML_LIMITS.values)
      throw fileProblem(
        w.path,
        nodeLine(w, at),
        `more than ${YAML_LIMITS.values} values once aliases are expanded`,
        w.code,
      );
    if (depth > YAML_LIMITS.depth)
      throw fileProblem(
        w.path,
        nodeLine(w, at),
        `lists and maps nest deeper than ${YAML_LIMITS.depth} levels once aliases are expanded`,
        w.code,
      );
    const n = isAlias(node) ? w.targets.get(node) : node;
    if (!isCollection(n)) return;
    for (const item of n.items) {
      if (isPair(item)) {
        if (isMap(n) && ++keys > YAML_LIMITS.keys)
          throw fileProblem(w.path, nodeLine(w, item.key ?? at), `more than ${YAML_LIMITS.keys} keys`, w.code);
        seen(item.value, depth + 1, isNode(item.value) ? item.value : at);
      } else seen(item, depth + 1, isNode(item) ? item : at);
    }
  };
  seen(doc.contents, 0, doc.contents);
}

/**
 * Parse YAML from an untrusted file into a checked Document: no tags, bounded anchors,
 * aliases (no cycles), depth, keys and expanded size. `firstLine` is the file line the
 * YAML starts at, so problems name the line in the file.
 */
export function parseBoundedYaml(yaml: string, path: string, firstLine = 1, code: ErrorCode = 'parse_error'): Document {
  const w: Walk = { yaml, path, firstLine, code, targets: new Map() };
  const size = Buffer.byteLength(yaml, 'utf8');
  if (size > YAML_LIMITS.yamlBytes) {
    throw fileProblem(
      path,
      firstLine,
      `YAML part is ${size} bytes; expected at most ${YAML_LIMITS.yamlBytes} (256 KiB)`,
      code,
    );
  }
  checkTokens(yaml, path, firstLine, code);
  let doc: Document;
  try {
    doc = parseDocument(yaml, {
      prettyErrors: false,
      uniqueKeys: false,
      schema: 'core',
      customTags: [],
      merge: false,
      version: '1.2',
      logLevel: 'error',
    });
  } catch (e) {
    // Block nesting is bounded by the size limit; a parser failure is still this file's problem.
    throw fileProblem(
      path,
      firstLine,
      `invalid YAML: ${e instanceof RangeError ? 'nested too deeply' : String((e as Error).message).split('\n')[0]}`,
      code,
    );
  }
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const what =
      e.code === 'MULTIPLE_DOCS'
        ? 'a "..." line ends the fields early; expected one map of fields'
        : e.message.split('\n')[0];
    throw fileProblem(path, firstLine + lineAt(yaml, e.pos[0]) - 1, `invalid YAML: ${what}`, code);
  }
  if (doc.directives?.yaml.explicit) throw fileProblem(path, firstLine, 'a %YAML directive is not allowed', code);
  checkNodes(doc, w);
  checkExpansion(doc, w);
  return doc;
}

/** A checked Document as plain data (aliases expanded within the limits already checked). */
export function boundedJs(doc: Document): unknown {
  return doc.toJS({ maxAliasCount: -1 });
}

/** A whole YAML file (schema.yaml, views) as plain data. */
export function parseYamlFile(input: string | Uint8Array, path: string, code: ErrorCode = 'parse_error'): unknown {
  return boundedJs(parseBoundedYaml(fileText(input, path, code), path, 1, code));
}
