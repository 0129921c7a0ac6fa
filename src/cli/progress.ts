import { err } from './output.js';

/**
 * Progress on a terminal for long work (reindex, import, sync): one line redrawn in
 * place, throttled. Never used with --json or when stderr is not a TTY.
 */
export function progressReporter(): (done: number, total: number, label: string) => void {
  let last = 0;
  return (done, total, label) => {
    const now = Date.now();
    if (done < total && now - last < 80) return;
    last = now;
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    err(`\r\x1b[2K${label} ${done}/${total} (${pct}%)`);
    if (done >= total) err('\n');
  };
}
