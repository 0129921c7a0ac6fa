import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { deflateObject } from './deflateObject.js';
import { clashError } from '../model/gitPath.js';
import { hashObject, objectFormat, oidBytes } from './objectFormat.js';
import type { Repo } from './repo.js';
import { heldObject, holdObject } from './pendingObjects.js';

/**
 * New trees from a parent's trees plus a few changed paths, computed by patching the
 * parent's tree objects in memory. A ticket write changes one entry of a tree with
 * thousands: copying bytes around beats git's read-tree/update-index/write-tree (three
 * processes and a rewrite of a whole index file). Loose objects are read here (what the
 * previous write left behind); packed ones (after `git gc`) come from the caller, read
 * with one `cat-file`. Ids are as long as the repository's hash.
 */
function objectPath(repo: Repo, sha: string): string {
  return join(repo.commonDir, 'objects', sha.slice(0, 2), sha.slice(2));
}

/**
 * A loose object's type and body, or null when it is not a loose object here (packed,
 * absent, unreadable) or, with `maxBytes`, when it is larger: the caller asks git then.
 * Objects this process holds in memory for a group of writes, or wrote in its last pack,
 * count as loose (see pendingObjects.ts).
 */
export function readLooseObject(
  repo: Repo,
  sha: string,
  maxBytes = Number.POSITIVE_INFINITY,
): { type: string; body: Buffer } | null {
  const held = heldObject(repo, sha);
  if (held) return held.body.length > maxBytes ? null : held;
  let raw: Buffer;
  try {
    const bound = Number.isFinite(maxBytes) ? { maxOutputLength: maxBytes + 32 } : {};
    raw = inflateSync(readFileSync(objectPath(repo, sha)), bound);
  } catch {
    return null;
  }
  const nul = raw.indexOf(0);
  const [type] = raw.toString('latin1', 0, nul).split(' ');
  return { type, body: raw.subarray(nul + 1) };
}

export function writeLooseObject(repo: Repo, type: string, body: Buffer): string {
  const header = Buffer.from(`${type} ${body.length}\0`);
  const sha = hashObject(objectFormat(repo), type, body);
  if (holdObject(repo, sha, type, body)) return sha;
  const file = objectPath(repo, sha);
  if (existsSync(file)) return sha;
  mkdirSync(join(file, '..'), { recursive: true });
  const tmp = `${file}.tmp_${process.pid}_${randomBytes(4).toString('hex')}`;
  const fd = openSync(tmp, 'wx', 0o444);
  try {
    writeSync(fd, deflateObject(Buffer.concat([header, body])));
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  return sha;
}

interface Entry {
  mode: string;
  name: Buffer;
  sha: string;
}

const SLASH = Buffer.from('/');

/**
 * Start offsets of a tree body's entries (one scan; entries are mode SP name NUL id), or
 * null when the body is not a well-formed tree (a loose object can come from a fetch).
 */
function offsets(body: Buffer, idLen: number): number[] | null {
  const out: number[] = [];
  let pos = 0;
  while (pos < body.length) {
    out.push(pos);
    const nul = body.indexOf(0, pos);
    if (nul < 0 || nul + 1 + idLen > body.length) return null;
    pos = nul + 1 + idLen;
  }
  return out;
}

function entryAt(body: Buffer, start: number, idLen: number): { mode: string; name: Buffer; end: number } {
  const sp = body.indexOf(0x20, start);
  const nul = body.indexOf(0, sp);
  return { mode: body.toString('latin1', start, sp), name: body.subarray(sp + 1, nul), end: nul + 1 + idLen };
}

/** Git compares a tree entry's name as "name/" when it is a directory. */
function sortKey(name: Buffer, mode: string): Buffer {
  return mode === '40000' ? Buffer.concat([name, SLASH]) : name;
}

/**
 * Binary search by git's sort key: the index of the file (or directory) entry named
 * `name`, or where it would be inserted. A file `a.md` and a directory `a.md` sort apart
 * (`a.md-x.md` falls between them), so each is looked up with its own key.
 */
function locate(
  body: Buffer,
  offs: number[],
  idLen: number,
  name: Buffer,
  asDir: boolean,
): { index: number; exact: boolean } {
  const key = asDir ? Buffer.concat([name, SLASH]) : name;
  let lo = 0;
  let hi = offs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const e = entryAt(body, offs[mid], idLen);
    const c = Buffer.compare(sortKey(e.name, e.mode), key);
    if (c === 0) return { index: mid, exact: true };
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return { index: lo, exact: false };
}

/** One entry's bytes (mode SP name NUL id), in one allocation: a large write encodes 100,000. */
function encode(e: Entry): Buffer {
  const out = Buffer.allocUnsafe(e.mode.length + 2 + e.name.length + e.sha.length / 2);
  let at = out.write(e.mode, 0, 'latin1');
  out[at++] = 0x20;
  at += e.name.copy(out, at);
  out[at++] = 0;
  out.write(e.sha, at, 'hex');
  return out;
}

/** Changes below one directory: files by name (null: delete), subdirectories by name. */
interface DirChanges {
  files: Map<string, string | null>;
  dirs: Map<string, DirChanges>;
}

function group(changes: Array<{ path: string; sha: string | null }>): DirChanges {
  const root: DirChanges = { files: new Map(), dirs: new Map() };
  for (const c of changes) {
    const parts = c.path.split('/');
    let d = root;
    for (const p of parts.slice(0, -1)) {
      if (!d.dirs.has(p)) d.dirs.set(p, { files: new Map(), dirs: new Map() });
      d = d.dirs.get(p)!;
    }
    d.files.set(parts[parts.length - 1], c.sha);
  }
  return root;
}

/**
 * The patched tree's id; null when it would be empty; undefined when it cannot be done
 * here. A file where the tree has a directory (or the reverse) is refused, never merged
 * into duplicate entries or a silent deletion.
 */
function patchDir(
  repo: Repo,
  sha: string | null,
  ch: DirChanges,
  prefix: string,
  known: KnownTrees,
): string | null | undefined {
  const idLen = oidBytes(repo);
  if (!sha && ch.dirs.size === 0) {
    const fresh = newFilesTree(ch.files, idLen);
    if (fresh !== undefined) return fresh.length === 0 ? null : writeLooseObject(repo, 'tree', fresh);
  }
  let body: Buffer = Buffer.alloc(0);
  if (sha) {
    const obj = known.get(sha) ?? readLooseObject(repo, sha);
    if (obj?.type !== 'tree') return undefined;
    body = obj.body;
  }
  const offs = offsets(body, idLen);
  if (offs === null) return undefined;
  const edits: Array<{ index: number; exact: boolean; entry: Entry | null }> = [];
  for (const [name, blob] of ch.files) {
    const n = Buffer.from(name);
    if (blob && locate(body, offs, idLen, n, true).exact) throw clashError(prefix + name, prefix + name, 'directory');
    edits.push({ ...locate(body, offs, idLen, n, false), entry: blob ? { mode: '100644', name: n, sha: blob } : null });
  }
  for (const [name, sub] of ch.dirs) {
    const n = Buffer.from(name);
    // A file of that name may go only when this same change deletes it; deleting paths
    // below a file deletes nothing.
    if (ch.files.get(name) !== null && locate(body, offs, idLen, n, false).exact) {
      const written = firstWritten(sub);
      if (written === null) continue;
      throw clashError(prefix + name, `${prefix}${name}/${written}`, 'file');
    }
    const at = locate(body, offs, idLen, n, true);
    const existing = at.exact ? entryAt(body, offs[at.index], idLen) : null;
    const patched = patchDir(
      repo,
      existing ? body.toString('hex', existing.end - idLen, existing.end) : null,
      sub,
      `${prefix}${name}/`,
      known,
    );
    if (patched === undefined) return undefined;
    edits.push({ ...at, entry: patched ? { mode: '40000', name: n, sha: patched } : null });
  }
  const out = splice(body, offs, edits);
  return out.length === 0 ? null : writeLooseObject(repo, 'tree', out);
}

/**
 * A new directory of files only (a large import's fan-out folders): its tree body written in
 * one buffer, instead of an entry at a time through the splice (~500,000 small buffers for
 * 100,000 files). For ASCII names, whose string order is git's byte order; undefined
 * otherwise (the splice handles them).
 */
function newFilesTree(files: Map<string, string | null>, idLen: number): Buffer | undefined {
  const names: string[] = [];
  let size = 0;
  for (const [name, blob] of files) {
    if (blob === null) continue;
    if (!ASCII.test(name)) return undefined;
    names.push(name);
    size += FILE_MODE.length + 2 + name.length + idLen;
  }
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (const name of names) {
    at += out.write(FILE_MODE, at, 'latin1');
    out[at++] = 0x20;
    at += out.write(name, at, 'latin1');
    out[at++] = 0;
    at += out.write(files.get(name)!, at, 'hex');
  }
  return out;
}

const FILE_MODE = '100644';
const ASCII = /^[\x01-\x7f]*$/;

/** The first path below `d` that the change writes (not deletes), or null. */
function firstWritten(d: DirChanges): string | null {
  for (const [file, blob] of d.files) if (blob) return file;
  for (const [name, sub] of d.dirs) {
    const below = firstWritten(sub);
    if (below !== null) return `${name}/${below}`;
  }
  return null;
}

/** Copy the body, replacing, deleting or inserting entries at the located positions. */
function splice(
  body: Buffer,
  offs: number[],
  edits: Array<{ index: number; exact: boolean; entry: Entry | null }>,
): Buffer {
  const startOf = (i: number) => (i < offs.length ? offs[i] : body.length);
  // Inserts at the same position keep git order among themselves.
  // At one position: new entries (in git order) go before the entry that is replaced.
  const keyOf = (e: (typeof edits)[number]) => (e.entry ? sortKey(e.entry.name, e.entry.mode) : Buffer.alloc(0));
  edits.sort((a, b) => a.index - b.index || Number(a.exact) - Number(b.exact) || Buffer.compare(keyOf(a), keyOf(b)));
  const parts: Buffer[] = [];
  let copied = 0;
  for (const e of edits) {
    const at = startOf(e.index);
    if (at > copied) parts.push(body.subarray(copied, at));
    copied = Math.max(copied, at);
    if (e.entry) parts.push(encode(e.entry));
    if (e.exact) copied = Math.max(copied, startOf(e.index + 1));
  }
  parts.push(body.subarray(copied));
  return Buffer.concat(parts);
}

/** Objects read from git by the caller (packed trees), by id: consulted before loose ones. */
export interface KnownTrees {
  get(sha: string): { type: string; body: Buffer } | undefined;
}

/**
 * The root tree of `parentTree` with `changes` applied (path → blob id, null deletes),
 * or null when this cannot be done from loose objects and `known` (use git plumbing then).
 */
export function patchTrees(
  repo: Repo,
  parentTree: string | null,
  changes: Array<{ path: string; sha: string | null }>,
  known: KnownTrees = new Map(),
): string | null {
  const res = patchDir(repo, parentTree, group(changes), '', known);
  if (res === undefined) return null;
  return res ?? writeLooseObject(repo, 'tree', Buffer.alloc(0));
}

/** The tree of a commit, from its loose object. */
export function looseCommitTree(repo: Repo, commit: string): string | null {
  const obj = readLooseObject(repo, commit);
  if (obj?.type !== 'commit') return null;
  const hex = oidBytes(repo) * 2;
  const head = obj.body.toString('latin1', 0, hex + 6);
  const m = /^tree ([0-9a-f]+)\n$/.exec(head);
  return m && m[1].length === hex ? m[1] : null;
}

/**
 * The entry `name` (file or directory) of the loose tree `tree`: its mode and id; null when
 * the tree has none; undefined when the tree is no loose, well-formed tree here (ask git).
 */
export function looseTreeEntry(
  repo: Repo,
  tree: string,
  name: string,
  /** A tree's body when it is not loose (one read from git recently). */
  known?: (sha: string) => Buffer | undefined,
): { mode: string; sha: string } | null | undefined {
  const obj = readLooseObject(repo, tree);
  const body = obj ? (obj.type === 'tree' ? obj.body : undefined) : known?.(tree);
  if (!body) return undefined;
  const idLen = oidBytes(repo);
  const offs = offsets(body, idLen);
  if (offs === null) return undefined;
  for (const asDir of [false, true]) {
    const at = locate(body, offs, idLen, Buffer.from(name), asDir);
    if (!at.exact) continue;
    const e = entryAt(body, offs[at.index], idLen);
    return { mode: e.mode, sha: body.toString('hex', e.end - idLen, e.end) };
  }
  return null;
}
