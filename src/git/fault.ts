/**
 * Fault injection for crash-safety tests: `TACK_FAULT=<point>[,<point>]` kills the
 * process with SIGKILL when a write reaches that point, exactly as a power cut or
 * `kill -9` would. Unset (always, outside tests) it costs one env lookup.
 */
export const FAULT_POINTS = [
  'after-blobs',
  'after-tree',
  'after-commit-object',
  'after-ref',
  'during-index-update',
  'during-refresh',
  // connectors: a remote issue was created, the local commit recording it not yet made
  'after-remote-write',
] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

export function faultPoint(point: FaultPoint): void {
  const wanted = process.env.TACK_FAULT;
  if (wanted?.split(',').includes(point)) process.kill(process.pid, 'SIGKILL');
}

/**
 * `TACK_FAULT=plumbing`: build every tree with git's plumbing instead of patching loose
 * tree objects, so tests run the fallback on demand rather than only after `git gc`.
 */
export function forcedPlumbing(): boolean {
  const wanted = process.env.TACK_FAULT;
  return !!wanted && wanted.split(',').includes('plumbing');
}
