import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { mergeStoreFile } from '../model/merge.js';
import { readBlobs, readFileAt } from '../git/objects.js';
import { diffTree } from '../git/treeListing.js';
import { setWorktreeIndex } from '../git/worktrees.js';
import type { Store } from './store.js';

/** Write through a temporary file and a rename, so an editor never reads half a file. */
export function writeFileAtomic(path: string, content: string | null): void {
  if (content === null) {
    rmSync(path, { force: true });
    return;
  }
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tack-${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

/** Whether a mount's worktree is still there (its `.git` file), not only named in the settings. */
export function mountPresent(dir: string): boolean {
  return existsSync(join(dir, '.git'));
}

function readOrNull(path: string): string | null {
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

export interface MountUpdate {
  /** Store paths rewritten with the new commit's content. */
  written: string[];
  /** Store paths whose uncommitted edits were merged with the new content. */
  merged: string[];
}

/** What the mounted file becomes when the branch moves from `base` to `next` under `disk`. */
function nextContent(
  rel: string,
  base: string | null,
  next: string | null,
  disk: string | null,
  superseded: string | undefined,
): { text: string | null; merged: boolean } | null {
  if (disk === next) return null; // already there (e.g. Tack just committed this very file)
  if (disk === base || (disk !== null && disk === superseded)) return { text: next, merged: false };
  // The file holds uncommitted edits: never overwrite them. A side that deleted the file
  // loses to a side that edited it, so no text is dropped.
  if (disk === null || next === null) return null;
  return { text: mergeStoreFile(rel, base, disk, next).text, merged: true };
}

/**
 * The store branch moved from `from` to `to` (a Tack write, a sync, a fast-forward): bring
 * the mounted worktree along. Clean files take the new content; files with uncommitted
 * edits are merged with it; the worktree's index follows the branch either way, so what
 * the user changed still shows as their uncommitted edit.
 */
export function updateMount(
  store: Store,
  from: string | null,
  to: string,
  supersedes?: ReadonlyMap<string, string>,
): MountUpdate {
  const res: MountUpdate = { written: [], merged: [] };
  const dir = store.filesDir;
  if (store.mode !== 'branch' || store.plan || !dir || from === to) return res;
  const entries = diffTree(store.repo, from, to, '').filter((e) => !e.newMode || e.newMode.startsWith('100'));
  const blobs = readBlobs(
    store.repo,
    entries.flatMap((e) => [e.oldSha, e.newSha]).filter((s) => !/^0+$/.test(s)),
  );
  const text = (sha: string): string | null => (/^0+$/.test(sha) ? null : (blobs.get(sha)?.toString('utf8') ?? null));
  const index = new Map<string, string | null>();
  for (const e of entries) {
    const path = join(dir, e.path);
    const change = nextContent(e.path, text(e.oldSha), text(e.newSha), readOrNull(path), supersedes?.get(e.path));
    if (change) {
      writeFileAtomic(path, change.text);
      (change.merged ? res.merged : res.written).push(e.path);
    }
    index.set(e.path, /^0+$/.test(e.newSha) ? null : e.newSha);
  }
  setWorktreeIndex(store.repo, dir, index);
  return res;
}

/**
 * A change that turned out to equal the committed version still replaces the uncommitted
 * edit it was computed from (the person edited the file back to what is committed).
 */
export function restoreSuperseded(store: Store, head: string | null, supersedes: ReadonlyMap<string, string>): void {
  const dir = store.filesDir;
  if (store.mode !== 'branch' || store.plan || !dir || head === null) return;
  for (const [rel, text] of supersedes) {
    const path = join(dir, rel);
    if (readOrNull(path) !== text) continue;
    // The worktree's index already holds the committed blob: only the file goes back.
    writeFileAtomic(path, readFileAt(store.repo, head, rel));
  }
}
