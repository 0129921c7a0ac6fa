import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A query that never ends by itself: what the time-limit and stop tests run. */
export const RUNAWAY = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c';

/** Running: signalable and not a zombie (a child that ended under a stopped parent is not reaped yet). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** What another writer does before it releases the lock: write a file, or run git. */
export type WriterFinish = { file: string; text: string } | { git: string[]; cwd: string };

/**
 * Another writer mid-write: a process that holds the store's writer lock (`lock`), then
 * after 2.5 s finishes its write (`finish`) and releases the lock. Resolves once the lock
 * is held; `done` once the process has ended. A command started meanwhile decides what it
 * does first, then waits for the lock, and runs its write after this one (the 2.5 s leave a
 * loaded machine time to start the command and make its decision while the lock is held).
 */
export function writerMidWrite(lock: string, finish: WriterFinish): Promise<{ done: Promise<void> }> {
  const script = `
    const fs = require('node:fs');
    const { execFileSync } = require('node:child_process');
    const [lock, finish] = [process.argv[1], JSON.parse(process.argv[2])];
    fs.writeFileSync(lock, process.pid + ' writer', { flag: 'wx' });
    process.stdout.write('locked\\n');
    setTimeout(() => {
      if (finish.file) fs.writeFileSync(finish.file, finish.text);
      else execFileSync('git', finish.git, { cwd: finish.cwd, stdio: 'ignore' });
      fs.rmSync(lock);
    }, 2500);
  `;
  const child = spawn(process.execPath, ['-e', script, lock, JSON.stringify(finish)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const done = new Promise<void>((res) => child.on('exit', () => res()));
  return new Promise((res, rej) => {
    child.on('error', rej);
    child.stdout.setEncoding('utf8').once('data', () => res({ done }));
  });
}
