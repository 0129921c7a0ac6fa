import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { TackError } from '../model/errors.js';
import { objectFormat } from './objectFormat.js';
import { deflateObject } from './deflateObject.js';
import { type PackEntry, packIndex } from './packIndex.js';
import type { Repo } from './repo.js';
import { beforeEachGit } from './run.js';

/*
 * Objects a group of writes makes (five a write: blob, three trees, commit) kept in memory
 * and written as one pack, instead of one loose file each: creating a file costs about half
 * a millisecond on a busy disk, most of a grouped write's time. This process reads them from
 * here meanwhile (readLooseObject); before any git process starts they are in a pack, so git
 * never misses one, and the ref that names them moves only after that (publish runs
 * update-ref). The pack and its index are written here (writePack), in the format git's
 * own `index-pack` writes.
 */

interface Pending {
  repo: Repo;
  objects: Map<string, { type: PackType; body: Buffer }>;
}

type PackType = 'commit' | 'tree' | 'blob';
const TYPE_CODE: Record<PackType, number> = { commit: 1, tree: 2, blob: 3 };

const held = new Map<string, Pending>();

/** From now until `releaseObjects`, objects this process writes to `repo` stay in memory. */
export function holdObjects(repo: Repo): void {
  if (!held.has(repo.commonDir)) held.set(repo.commonDir, { repo, objects: new Map() });
  beforeEachGit(writeHeldObjects);
}

/** Keep the object in memory when `repo`'s objects are held; false when they are not. */
export function holdObject(repo: Repo, sha: string, type: string, body: Buffer): boolean {
  const p = held.size > 0 ? held.get(repo.commonDir) : undefined;
  if (!p || !(type in TYPE_CODE)) return false;
  p.objects.set(sha, { type: type as PackType, body });
  return true;
}

/**
 * The trees and commits of the last pack this process wrote, newest first up to a bound:
 * the next group of writes starts from its last commit and patches those trees.
 */
let lastWritten: { commonDir: string; objects: Map<string, { type: PackType; body: Buffer }> } | null = null;
const LAST_WRITTEN_BYTES = 1024 * 1024;

/** An object of `repo` this process holds, or wrote in its last pack; undefined when neither. */
export function heldObject(repo: Repo, sha: string): { type: string; body: Buffer } | undefined {
  const h = held.size > 0 ? held.get(repo.commonDir)?.objects.get(sha) : undefined;
  if (h || lastWritten?.commonDir !== repo.commonDir) return h;
  return lastWritten.objects.get(sha);
}

function rememberWritten(repo: Repo, objects: Map<string, { type: PackType; body: Buffer }>): void {
  const kept = new Map<string, { type: PackType; body: Buffer }>();
  let bytes = 0;
  for (const [sha, o] of [...objects].reverse()) {
    if (o.type === 'blob' || bytes + o.body.length > LAST_WRITTEN_BYTES) continue;
    bytes += o.body.length;
    kept.set(sha, o);
  }
  lastWritten = { commonDir: repo.commonDir, objects: kept };
}

/** Write the objects held so far, one pack per repository (before any git process starts). */
function writeHeldObjects(): void {
  for (const p of held.values()) {
    if (p.objects.size === 0) continue;
    // Forgotten only once git has them: a pack that fails leaves them held, and the git
    // about to run (the ref's update, at the latest) fails with it rather than run without them.
    writePack(p.repo, p.objects);
    p.objects = new Map();
  }
}

/** Stop holding `repo`'s objects: written (`keep`) or forgotten (the writes that made them were dropped). */
export function releaseObjects(repo: Repo, keep: boolean): void {
  const p = held.get(repo.commonDir);
  if (!p) return;
  held.delete(repo.commonDir);
  if (held.size === 0) beforeEachGit(null);
  if (keep && p.objects.size > 0) writePack(p.repo, p.objects);
}

/** An object's header in a pack: its type and size, seven bits a byte after the first four. */
function entryHeader(type: PackType, size: number): Buffer {
  const bytes: number[] = [];
  let byte = (TYPE_CODE[type] << 4) | (size & 0x0f);
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    bytes.push(byte | 0x80);
    byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
  }
  bytes.push(byte);
  return Buffer.from(bytes);
}

/**
 * Write the objects as a pack and its index under objects/pack, as `git index-pack` would but
 * without starting it (a process costs 7-14 ms on a slow VM, a third of a group of writes):
 * each file is written to a temporary name, flushed to disk, then renamed, the index last, so
 * git sees the pack whole or not at all, and it is on disk before the ref that names its
 * objects moves. The objects are the same bytes a write outside a group leaves loose.
 */
function writePack(repo: Repo, objects: Map<string, { type: PackType; body: Buffer }>): void {
  const head = Buffer.alloc(12);
  head.write('PACK', 0, 'latin1');
  head.writeUInt32BE(2, 4);
  head.writeUInt32BE(objects.size, 8);
  const parts: Buffer[] = [head];
  const format = objectFormat(repo);
  const checksum = createHash(format).update(head);
  const entries: PackEntry[] = [];
  let offset = head.length;
  for (const [sha, { type, body }] of objects) {
    const header = entryHeader(type, body.length);
    const data = deflateObject(body);
    entries.push({ sha, offset, crc: crc32(data, crc32(header)) });
    offset += header.length + data.length;
    checksum.update(header).update(data);
    parts.push(header, data);
  }
  const sum = checksum.digest();
  parts.push(sum);
  const dir = join(repo.commonDir, 'objects', 'pack');
  const base = join(dir, `pack-${sum.toString('hex')}`);
  try {
    mkdirSync(dir, { recursive: true });
    placeFile(dir, `${base}.pack`, parts);
    placeFile(dir, `${base}.idx`, [packIndex(entries, sum, format)]);
  } catch (e) {
    throw new TackError(
      'git_failed',
      `could not write a pack of ${objects.size} objects to ${dir}: ${(e as Error).message}`,
    );
  }
  rememberWritten(repo, objects);
}

/** Write `parts` to a new file in `dir`, flush it to disk, and rename it to `path` (read-only, as git's). */
function placeFile(dir: string, path: string, parts: readonly Buffer[]): void {
  const tmp = join(dir, `tmp_tack_${process.pid}_${randomBytes(6).toString('hex')}`);
  const fd = openSync(tmp, 'wx', 0o444);
  try {
    try {
      for (const p of parts) writeSync(fd, p);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
