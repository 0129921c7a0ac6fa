import { spawn } from 'node:child_process';
import { readSettings } from '../store/store.js';
import { takeSpooled } from '../store/triggerSpool.js';
import type { OpContext } from './op.js';
import { drainSpool } from './triggerDeliver.js';

/**
 * After a CLI write that spooled commits for triggers (`takeSpooled()`): start their delivery in a
 * detached `tack hooks run` (`cli`: the path of the tack script), so the command does not
 * wait for slow receivers; with `"wait": true` in the settings, deliver before returning.
 */
export async function startCliDelivery(ctx: OpContext, cli: string): Promise<void> {
  const store = ctx.store();
  if (readSettings(store.repo)?.triggers?.wait) {
    await drainSpool(ctx);
    return;
  }
  const child = spawn(process.execPath, [cli, 'hooks', 'run', '--json'], {
    cwd: store.repo.workTree,
    detached: true,
    stdio: 'ignore',
    env: process.env,
  });
  child.on('error', () => {});
  child.unref();
}

/**
 * For long-running surfaces (`tack serve`, `tack watch`, MCP): deliver in this process,
 * in the background, after writes that spooled commits. Calls while a delivery runs
 * make it run once more.
 */
export function inProcessDeliverer(ctx: OpContext, onError: (e: unknown) => void = () => {}): () => void {
  let running = false;
  let again = false;
  const run = async () => {
    running = true;
    try {
      do {
        again = false;
        await drainSpool(ctx);
      } while (again);
    } catch (e) {
      onError(e);
    } finally {
      running = false;
    }
  };
  return () => {
    if (!takeSpooled()) return;
    if (running) again = true;
    else void run();
  };
}
