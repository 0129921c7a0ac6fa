import { monotonicMs } from './monotonic.js';

/** A progress reporter drawing one terminal line; `end` clears it (before the answer is printed). */
export interface ProgressLine {
  (done: number, total: number, label: string): void;
  end(): void;
}

/**
 * Progress for long work (reindex, import, sync, a first build of the index) as one line
 * redrawn in place, at most every 80 ms (a step that completes always shows). Steps of
 * many parts (a batch of versions parsed, then the next) redraw the same line, never add
 * one: `end` clears it once the work is over. The surface passes how to write to its
 * terminal, and uses this only when stderr is a terminal and --json is off.
 */
export function progressLine(write: (text: string) => void): ProgressLine {
  let last = 0;
  let drawn = false;
  const report = (done: number, total: number, label: string) => {
    const now = monotonicMs();
    if (done < total && now - last < 80) return;
    last = now;
    drawn = true;
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    write(`\r\x1b[2K${label} ${done}/${total} (${pct}%)`);
  };
  return Object.assign(report, {
    end() {
      if (drawn) write('\r\x1b[2K');
      drawn = false;
    },
  });
}
