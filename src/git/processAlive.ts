/**
 * Whether a process of this machine is running: one that holds a lock, owns a temporary file
 * or runs a scan. A pid that is not a positive integer never names one (0 and -1 would signal
 * a whole group); a process of another user (EPERM) is alive.
 */
export function processAlive(pid: number | null): boolean {
  if (pid === null || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
