/**
 * Progress for long work (reindex, import, sync) as one line redrawn in place, at most every
 * 80 ms, and finished with a newline. The surface passes how to write to its terminal, and
 * uses this only when stderr is a terminal and --json is off.
 */
export function progressLine(write: (text: string) => void): (done: number, total: number, label: string) => void {
  let last = 0;
  return (done, total, label) => {
    const now = Date.now();
    if (done < total && now - last < 80) return;
    last = now;
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    write(`\r\x1b[2K${label} ${done}/${total} (${pct}%)${done >= total ? '\n' : ''}`);
  };
}
