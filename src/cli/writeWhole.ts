import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { TackError } from '../model/errors.js';
import { processAlive } from '../git/processAlive.js';
import { writeSized } from './streamedAnswer.js';

/** A new name beside `path`, for what takes its place once whole. */
function beside(path: string): string {
  clearDeadTemps(path);
  return join(dirname(path), `${tempPrefix(path)}${process.pid}.tmp`);
}

const tempPrefix = (path: string) => `.${basename(path)}.tack-`;

/**
 * What an earlier export to `path` left when it was stopped part way (Ctrl-C, a kill: the
 * writes are synchronous, so no handler runs): its process is gone, so it is removed.
 */
function clearDeadTemps(path: string): void {
  const dir = dirname(path);
  const prefix = tempPrefix(path);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // no folder: the write says so
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = name.slice(prefix.length, -'.tmp'.length);
    // One of this very pid is a dead process's too (pids are reused): none of ours is under way.
    if (/^\d+$/.test(pid) && (Number(pid) === process.pid || !processAlive(Number(pid))))
      rmSync(join(dir, name), { recursive: true, force: true });
  }
}

function cannotWrite(path: string, e: unknown, what = 'a file'): TackError {
  const why = (e as NodeJS.ErrnoException).code ?? String(e);
  return new TackError('invalid_input', `cannot write ${path} (${why}); expected ${what} in a folder you can write to`);
}

/**
 * Write `chunks` to `path` whole or not at all: into a new file beside it, renamed over it
 * once the last piece is written (a failure part way leaves any earlier file as it was).
 */
export function writeFileWhole(path: string, chunks: Iterable<string>): void {
  const tmp = beside(path);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', 0o666);
  } catch (e) {
    throw cannotWrite(path, e);
  }
  try {
    try {
      for (const piece of writeSized(chunks)) {
        const bytes = Buffer.from(piece, 'utf8');
        for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
      }
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(tmp, path);
    } catch (e) {
      throw cannotWrite(path, e);
    }
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Write a folder of files (a Backlog.md export) whole or not at all: into a new folder beside
 * `dir`, which takes its place once every file is written. `dir` must be new or empty (an
 * export never overwrites a project). Returns how many files were written.
 */
export function writeFolderWhole(dir: string, files: Iterable<{ path: string; content: string }>): number {
  let present: string[] = [];
  try {
    present = readdirSync(dir);
  } catch {}
  if (present.length)
    throw new TackError(
      'invalid_input',
      `${dir} is not empty; expected a new or empty folder for the Backlog.md export`,
    );
  const tmp = beside(dir);
  try {
    mkdirSync(dirname(dir), { recursive: true });
    mkdirSync(tmp);
  } catch (e) {
    throw cannotWrite(dir, e, 'a new folder');
  }
  try {
    let count = 0;
    for (const f of files) {
      const target = join(tmp, f.path);
      const rel = relative(tmp, target);
      // The paths are made from ticket data: one that leaves the folder is a bug, never written.
      if (
        !rel ||
        rel.startsWith('..') ||
        isAbsolute(rel) ||
        f.path.split('/').some((s) => s === '' || s.startsWith('.'))
      )
        throw new TackError(
          'invalid_input',
          `refused to write ${JSON.stringify(f.path)}: not a plain path inside ${dir}`,
        );
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, f.content, { flag: 'wx' });
      count++;
    }
    try {
      rmdirSync(dir); // the empty folder named, if there is one (one that filled meanwhile stays)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw cannotWrite(dir, e, 'a new folder');
    }
    try {
      renameSync(tmp, dir);
    } catch (e) {
      throw cannotWrite(dir, e, 'a new folder');
    }
    return count;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
