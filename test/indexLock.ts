import { spawn } from 'node:child_process';

/**
 * Another process holding the write lock of `path`: resolves once it holds it. It lets go
 * after `ms`, or when `stop` ends it (SQLite's locks go with the process).
 */
export function holdWriteLock(
  path: string,
  ms: number,
): Promise<{ released: Promise<void>; stop: () => Promise<void> }> {
  const script = `const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(process.argv[1], { timeout: 5000 });
db.exec('BEGIN IMMEDIATE');
process.stdout.write('held\\n');
setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ['--no-warnings', '-e', script, path, String(ms)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const released = new Promise<void>((r) => child.on('exit', () => r()));
  const stop = () => {
    child.kill('SIGKILL');
    return released;
  };
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code}) before it held the lock`)));
    child.stdout.once('data', () => resolve({ released, stop }));
  });
}
