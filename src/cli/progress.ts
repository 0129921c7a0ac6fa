import { progressLine } from '../model/progressLine.js';
import { err } from './output.js';

/**
 * Progress on a terminal for long work (reindex, import, sync): one line redrawn in
 * place, throttled. Never used with --json or when stderr is not a TTY.
 */
export function progressReporter(): (done: number, total: number, label: string) => void {
  return progressLine(err);
}
