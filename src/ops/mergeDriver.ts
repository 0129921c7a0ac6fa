import { basename } from 'node:path';
import { registerMergeDriver } from '../git/config.js';
import { getConfig, setRepoConfig } from '../git/remote.js';
import type { Repo } from '../git/repo.js';
import { realPathOrNull } from '../store/localFile.js';
import { readStoreFile } from '../store/storeReader.js';
import { readWorkTreeFile } from '../store/workTreeFile.js';
import type { Store } from '../store/store.js';
import type { TackProgram } from './effects.js';

/**
 * The git merge driver: `.gitattributes` routes store files to `merge=tack`, and the
 * repository's config says what `tack` means. Config is not cloned, so `tack setup`
 * repeats the second half in every clone.
 */
const DRIVER_ARGS = 'merge-file %O %A %B %P';
const DRIVER_NAME = 'Tack: merge tickets, schema and docs without conflict markers';

/** One word for git's shell (the driver line is run by sh): single quotes, nothing expands. */
function shellWord(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The driver as this very Tack runs it: node and the bin by absolute path, so git finds
 * it without `tack` on PATH (npx, a checkout); once they are gone (an npx cache cleared,
 * a checkout moved), `tack` on PATH; with no Tack at all, git's own line merge, so edits
 * to different lines still merge and only real clashes get markers (which
 * `tack doctor --fix` merges later). Outside the bin (tests, embedding): `tack`.
 */
export function driverCommand(tack: TackProgram): string {
  const bin = tack.script ? realPathOrNull(tack.script) : null;
  if (!bin || !/tack(\.c?js)?$/.test(basename(bin))) return `tack ${DRIVER_ARGS}`;
  return [
    `n=${shellWord(tack.node)} b=${shellWord(bin)};`,
    `if [ -x "$n" ] && [ -f "$b" ]; then exec "$n" "$b" ${DRIVER_ARGS};`,
    `elif command -v tack >/dev/null 2>&1; then exec tack ${DRIVER_ARGS};`,
    'else exec git merge-file -L ours -L base -L theirs %A %O %B; fi',
  ].join(' ');
}

export function attributeLines(treePrefix: string): string[] {
  return [
    `${treePrefix}tickets/*.md merge=tack`,
    `${treePrefix}archive/*.md merge=tack`,
    // The fan-out layout (tickets/<shard>/<id>.md): `*` never crosses a slash here.
    `${treePrefix}tickets/*/*.md merge=tack`,
    `${treePrefix}archive/*/*.md merge=tack`,
    `${treePrefix}schema.yaml merge=tack`,
    `${treePrefix}docs/**/*.md merge=tack`,
  ];
}

/** `.gitattributes` with our lines added; null when they are all there already. */
export function withAttributes(current: string | null, treePrefix: string): string | null {
  const have = new Set((current ?? '').split('\n').map((l) => l.trim()));
  const missing = attributeLines(treePrefix).filter((l) => !have.has(l));
  if (missing.length === 0) return null;
  const head = current && !current.endsWith('\n') ? `${current}\n` : (current ?? '');
  return `${head}${head ? '\n' : ''}# Tack: merge store files with \`tack merge-file\` (run \`tack setup\` once per clone)\n${missing.join('\n')}\n`;
}

/** The `.gitattributes` the user sees: the store branch's (branch mode) or the work tree's (inline). */
export function currentAttributes(store: Store): string | null {
  if (store.mode === 'branch') return readStoreFile(store, null, '.gitattributes');
  return readWorkTreeFile(store.repo, '.gitattributes');
}

/** `tack setup`: register (or refresh) the driver in the repository's config; false when it already was. */
export function configureDriver(repo: Repo, tack: TackProgram): boolean {
  const command = driverCommand(tack);
  if (getConfig(repo, 'merge.tack.driver') === command) return false;
  setRepoConfig(repo, 'merge.tack.name', DRIVER_NAME);
  setRepoConfig(repo, 'merge.tack.driver', command);
  return true;
}

/**
 * Every command, in any clone: register the driver when no config names one, so a plain
 * `git pull` merges tickets with it instead of writing conflict markers. Cheap when it is
 * there (config files read, no git process); true when it was registered now.
 */
export function ensureDriver(repo: Repo, tack: TackProgram): boolean {
  if (repo.bare || !registerMergeDriver(repo, 'tack', DRIVER_NAME, driverCommand(tack))) return false;
  registeredNow.add(repo.commonDir);
  return true;
}

/** Clones whose driver this process registered (doctor reports it as found and fixed). */
const registeredNow = new Set<string>();

export function registeredThisRun(repo: Repo): boolean {
  return registeredNow.has(repo.commonDir);
}
