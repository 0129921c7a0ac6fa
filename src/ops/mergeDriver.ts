import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getConfig, setRepoConfig } from '../git/remote.js';
import type { Repo } from '../git/repo.js';
import { readStoreFile } from '../store/storeReader.js';
import type { Store } from '../store/store.js';

/**
 * The git merge driver: `.gitattributes` routes store files to `merge=tack`, and the
 * repository's config says what `tack` means. Config is not cloned, so `tack setup`
 * repeats the second half in every clone.
 */
export const DRIVER_COMMAND = 'tack merge-file %O %A %B %P';
const DRIVER_NAME = 'Tack: merge tickets, schema and docs without conflict markers';

export function attributeLines(treePrefix: string): string[] {
  return [`${treePrefix}tickets/*.md merge=tack`, `${treePrefix}schema.yaml merge=tack`, `${treePrefix}docs/**/*.md merge=tack`];
}

/** `.gitattributes` with our lines added; null when they are all there already. */
export function withAttributes(current: string | null, treePrefix: string): string | null {
  const have = new Set((current ?? '').split('\n').map((l) => l.trim()));
  const missing = attributeLines(treePrefix).filter((l) => !have.has(l));
  if (missing.length === 0) return null;
  const head = current && !current.endsWith('\n') ? `${current}\n` : current ?? '';
  return `${head}${head ? '\n' : ''}# Tack: merge store files with \`tack merge-file\` (run \`tack setup\` once per clone)\n${missing.join('\n')}\n`;
}

/** The `.gitattributes` the user sees: the store branch's (branch mode) or the work tree's (inline). */
export function currentAttributes(store: Store): string | null {
  if (store.mode === 'branch') return readStoreFile(store, null, '.gitattributes');
  const f = join(store.repo.workTree, '.gitattributes');
  return existsSync(f) ? readFileSync(f, 'utf8') : null;
}

/** Register the driver in the repository's config; false when it already was. */
export function configureDriver(repo: Repo): boolean {
  if (getConfig(repo, 'merge.tack.driver') === DRIVER_COMMAND) return false;
  setRepoConfig(repo, 'merge.tack.name', DRIVER_NAME);
  setRepoConfig(repo, 'merge.tack.driver', DRIVER_COMMAND);
  return true;
}
