import { TackError } from '../model/errors.js';
import { hasConflictMarkers } from '../model/conflictMarkers.js';
import { mergeStoreFile } from '../model/merge.js';
import { readConfig } from '../git/config.js';
import { filesWithMarkerLines, mergesTouching } from '../git/markerMerges.js';
import { readFileAt } from '../git/objects.js';
import { storeRelative, type Store } from '../store/store.js';
import type { Finding } from './doctorChecks.js';
import { configureDriver, registeredThisRun } from './mergeDriver.js';
import type { TackProgram } from './effects.js';

/*
 * Conflict markers a merge without Tack's driver wrote into ticket files (a clone that
 * never ran Tack, then `git pull` and `git commit -a`): found by doctor, repaired from
 * the merge's parents with the one merge function, and never pushed by sync.
 */

/** doctor: the driver is not configured in this clone (git would write markers). */
export function driverFinding(store: Store, fix: boolean, tack: TackProgram): Finding[] {
  if (store.repo.bare) return [];
  const missing =
    'merge.tack.driver was not configured in this clone, so git pull/merge would write conflict markers into tickets';
  if (registeredThisRun(store.repo))
    return [{ check: 'merge_driver', message: `${missing}; registered it now`, fixable: true, fixed: true }];
  if (readConfig(store.repo, 'merge.tack', 'driver') !== null) return [];
  if (fix) configureDriver(store.repo, tack);
  return [{ check: 'merge_driver', message: missing, fixable: true, fixed: fix }];
}

/**
 * The file without markers: the merge that wrote them is redone with the merge function
 * from its parents, and edits made since are kept (a 3-way merge against the marked
 * version). Null when no such merge is found or markers would remain.
 */
export function repairMarkers(store: Store, head: string, treePath: string, current: string): string | null {
  const rel = storeRelative(store, treePath) ?? treePath;
  for (const v of mergesTouching(store.repo, head, treePath)) {
    if (v.merged === null || !hasConflictMarkers(v.merged) || v.ours === null || v.theirs === null) continue;
    if (hasConflictMarkers(v.ours) || hasConflictMarkers(v.theirs)) continue;
    const redone = mergeStoreFile(rel, v.base, v.ours, v.theirs).text;
    const fixed = current === v.merged ? redone : mergeStoreFile(rel, v.merged, current, redone).text;
    if (!hasConflictMarkers(fixed)) return fixed;
  }
  return null;
}

/** sync: refuse to push ticket files with markers that the remote does not already have. */
export function refuseMarkerPush(store: Store, head: string, theirs: string | null): void {
  const paths = [`${store.prefix}tickets`, `${store.prefix}archive`];
  const bad = filesWithMarkerLines(store.repo, head, paths).filter((p) => {
    const text = readFileAt(store.repo, head, p);
    return text !== null && hasConflictMarkers(text) && (theirs === null || readFileAt(store.repo, theirs, p) !== text);
  });
  if (bad.length === 0) return;
  throw new TackError(
    'invalid_ticket',
    `not pushing: ${bad.join(', ')} ${bad.length === 1 ? 'has' : 'have'} git conflict markers (a git merge made without Tack's merge driver); run \`tack doctor --fix\` to merge them again, then \`tack sync\``,
    { files: bad },
  );
}
