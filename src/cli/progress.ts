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
