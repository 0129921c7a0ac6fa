import { spawn } from 'node:child_process';
import type { TackProgram, TackRun } from '../ops/effects.js';

/** OpEffects.startTack for Node: detached, its output discarded, outliving this process. */
export function startTack(tack: TackProgram, args: string[], cwd: string): void {
  const child = spawn(tack.node, [tack.script ?? 'tack', ...args], {
    cwd,
    detached: true,
    stdio: 'ignore',
    env: process.env,
  });
  child.on('error', () => {});
  child.unref();
}

/** OpEffects.runTack for Node: its own process group, so a timeout ends the git processes it started too. */
export function runTack(tack: TackProgram, args: string[], cwd: string, timeoutMs: number): Promise<TackRun> {
  return new Promise((resolve) => {
    const child = spawn(tack.node, [tack.script ?? 'tack', ...args], {
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      resolve({ kind: 'timed_out' });
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ kind: 'not_started', message: e.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ kind: 'exited', code, stdout, stderr });
    });
  });
}
