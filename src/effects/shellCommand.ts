import { monotonicMs } from '../model/monotonic.js';
import { spawn } from 'node:child_process';
import type { CommandResult, ShellOptions } from '../ops/effects.js';

const OUTPUT_TAIL = 2000;

/** Kill the whole process group: `sh -c "a | b"` leaves children a plain kill would orphan. */
function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * OpEffects.runShell for Node. Run an event hook: `sh -c command` in the repository, the event JSON on stdin, killed
 * (with everything it started) after `timeoutMs`. Never throws: the outcome is returned
 * for the delivery log.
 */
export function runShell(command: string, stdin: string, o: ShellOptions): Promise<CommandResult> {
  const started = monotonicMs();
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    let done = false;
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: o.cwd,
      env: { ...process.env, ...o.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const finish = (r: Omit<CommandResult, 'duration_ms' | 'output' | 'timedOut'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...r, timedOut, output: output.slice(-OUTPUT_TAIL), duration_ms: Math.round(monotonicMs() - started) });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, o.timeoutMs);
    const collect = (d: Buffer) => {
      output = (output + d.toString('utf8')).slice(-OUTPUT_TAIL * 2);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    // A hook that does not read its stdin closes the pipe early: not an error of the hook.
    child.stdin.on('error', () => {});
    child.stdin.end(stdin);
    child.on('error', (e) => finish({ status: null, error: `cannot run: ${e.message}` }));
    child.on('close', (code, signal) => {
      // The shell may exit while a background child still holds the pipes: close waits for them.
      if (timedOut) finish({ status: null, error: `killed after the time limit of ${o.timeoutMs} ms` });
      else if (code === 0) finish({ status: 0 });
      else finish({ status: code, error: code === null ? `killed by ${signal}` : `exited with status ${code}` });
    });
  });
}
