import { spawn } from 'node:child_process';

export interface HeldLock {
  /** Let go `ms` after the holder reads this (a wait that starts right after still meets the lock); once. */
  releaseAfter(ms: number): void;
  /** End the holder now (SQLite's locks go with the process). */
  stop(): Promise<void>;
  /** Settles when the holder has ended. */
  released: Promise<void>;
}

/**
 * Another process holding the write lock of the SQLite file at `path`: resolves once it holds
 * it. It holds the lock until told: no timer runs out while a loaded machine is slow to ask.
 */
export function holdWriteLock(path: string): Promise<HeldLock> {
  const script = `const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(process.argv[1], { timeout: 5000 });
db.exec('BEGIN IMMEDIATE');
process.stdout.write('held\\n');
process.stdin.once('data', (d) => setTimeout(() => { db.exec('COMMIT'); db.close(); process.exit(0); }, Number(String(d))));`;
  const child = spawn(process.execPath, ['--no-warnings', '-e', script, path], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const released = new Promise<void>((r) => child.on('exit', () => r()));
  // A holder that has gone closes the pipe: a late word to it is no error.
  child.stdin.on('error', () => {});
  let told = false;
  const held: HeldLock = {
    releaseAfter: (ms) => {
      if (told) return;
      told = true;
      child.stdin.write(String(ms));
    },
    stop: () => {
      child.kill('SIGKILL');
      return released;
    },
    released,
  };
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code}) before it held the lock`)));
    child.stdout.once('data', () => resolve(held));
  });
}
