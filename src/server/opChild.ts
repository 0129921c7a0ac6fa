import { fork, type ChildProcess } from 'node:child_process';
import { bundledChild } from '../index/bundledChild.js';

/* The child processes that run operations off a long-lived surface's event loop (dist/opProcess.cjs). */

export type OpChild = ChildProcess;

/*
 * The children lead process groups of their own (POSIX), so a kill reaches the git they run
 * and what git runs (ssh, a remote's upload-pack): killing the child alone left those
 * running until the remote answered. The server stops them all when it stops.
 */
const OWN_GROUP = process.platform !== 'win32';

export function forkOp(env?: NodeJS.ProcessEnv, stderr: 'pipe' | 'inherit' = 'pipe'): OpChild {
  return fork(bundledChild('opProcess.cjs'), [], {
    execArgv: [],
    stdio: ['ignore', 'ignore', stderr, 'ipc'],
    env,
    detached: OWN_GROUP,
  });
}

/** Kill `child` and every process it started. */
export function killTree(child: OpChild): void {
  if (OWN_GROUP && child.pid !== undefined) {
    try {
      process.kill(-child.pid, 'SIGKILL');
      return;
    } catch {
      // the group is gone already: the child alone, if it is not
    }
  }
  child.kill('SIGKILL');
}
