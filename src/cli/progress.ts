import { onLockWait } from '../index/sqlite.js';
import { progressLine, type ProgressLine } from '../model/progressLine.js';
import { err } from './output.js';

/**
 * Progress on a terminal for long work (reindex, import, sync, the first build of an
 * index): one line redrawn in place, throttled, cleared by `end`. Never used with --json
 * or when stderr is not a TTY.
 */
export function progressReporter(): ProgressLine {
  return progressLine(err);
}

/**
 * A write waiting for another process's lock of the index (up to TACK_INDEX_WAIT_MS, 2
 * minutes by default) says so on `progress`, in seconds, instead of hanging silently.
 * Returns what stops it.
 */
export function showLockWaits(progress: ProgressLine): () => void {
  onLockWait((waited, limit) =>
    progress(
      Math.floor(waited / 1000),
      Math.round(limit / 1000),
      'waiting for another tack process writing the index, s',
    ),
  );
  return () => onLockWait(null);
}
