import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TackError } from '../model/errors.js';
import type { OpReply, OpRequest } from './opProcess.js';

/*
 * Operations that fetch from or push to a remote (REMOTE_OPS): in the server they run in
 * a child process, so a slow remote never stalls other requests. Their writes are still one
 * commit each, behind the store's writer lock and compare-and-swap, like any process's.
 */
export { REMOTE_OPS } from '../ops/runOp.js';

const running = new Set<ChildProcess>();

function childEntry(): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [join(here, 'opProcess.cjs'), join(here, '..', '..', 'dist', 'opProcess.cjs')];
  const found = candidates.find((c) => existsSync(c));
  if (!found)
    throw new TackError(
      'internal',
      `dist/opProcess.cjs is missing (looked in ${candidates.join(', ')}); run \`npm run build\``,
    );
  return found;
}

/** Kill every operation still running in a child (the server stops). */
export function stopRemoteOps(): void {
  for (const c of running) c.kill('SIGKILL');
  running.clear();
}

/** Run `req` in a child process; when `signal` aborts, the child is killed and the call fails with its reason. */
export function runOpInChild(req: OpRequest, signal?: AbortSignal): Promise<unknown> {
  signal?.throwIfAborted();
  return new Promise((resolve, reject) => {
    const child = fork(childEntry(), [], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    running.add(child);
    let stderr = '';
    let settled = false;
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString();
    });
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      running.delete(child);
      if (child.exitCode === null) child.kill('SIGKILL');
      f();
    };
    const onAbort = () => finish(() => reject(signal?.reason ?? new TackError('timeout', `${req.name} was stopped`)));
    signal?.addEventListener('abort', onAbort, { once: true });
    child.once('message', (m: OpReply) =>
      finish(() => {
        if ('result' in m) resolve(m.result);
        else reject(new TackError(m.error.code as never, m.error.message, m.error.details));
      }),
    );
    child.once('error', (e) =>
      finish(() => reject(new TackError('internal', `cannot run ${req.name} in a child process: ${e.message}`))),
    );
    child.once('close', (code, sig) =>
      finish(() =>
        reject(
          new TackError(
            'internal',
            `${req.name} ended without an answer (${sig ?? `exit ${code}`}): ${stderr.trim().slice(0, 500)}`,
          ),
        ),
      ),
    );
    child.send(req);
  });
}
